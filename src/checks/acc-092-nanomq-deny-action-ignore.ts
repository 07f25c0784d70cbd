import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-092',
    name: 'nanomq-deny-action-ignore',
    title: 'NanoMQ keeps clients connected after a denied request (`deny_action = ignore`)',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq'],
    description:
      '`auth.deny_action` (legacy `acl_deny_action`) is `ignore` unless set: a denied publish is dropped and a denied subscription refused, but the client stays connected and can go on probing topics. `disconnect` ends the connection at the first denied request, which slows down topic scanning and shows up in the logs.',
    remediation: 'Set `deny_action = disconnect` in the `auth { … }` block (legacy: `acl_deny_action=disconnect`).',
    references: ['https://nanomq.io/docs/en/latest/config-description/acl.html'],
  },
  judge({ 'config.nanomq': n }) {
    if (!n.configs.length) return { status: 'SKIP', message: 'no nanomq.conf among the inputs (only password or ACL files)' };
    const fails: Verdict[] = [];
    for (const c of n.configs) {
      const s = c.denyAction;
      if (s.value !== 'disconnect') fails.push({ status: 'FAIL', message: `${s.key} = ${s.value}${s.set ? '' : ' (not set: NanoMQ\'s default)'}: a client whose request is denied stays connected`, location: at(s.at) });
    }
    return failuresOr(fails, 'deny_action = disconnect');
  },
});
