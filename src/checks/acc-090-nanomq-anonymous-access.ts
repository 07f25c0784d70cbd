import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-090',
    name: 'nanomq-anonymous-access',
    title: 'NanoMQ accepts clients without credentials (`allow_anonymous`)',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq'],
    description:
      '`auth.allow_anonymous` (legacy `allow_anonymous`) is true unless set: NanoMQ compiles it in as true and the shipped nanomq.conf sets it to true. Any client that can reach a listener connects without a user name, and the ACL then decides alone (with `no_match = allow`, ACC-091, everything is allowed).',
    remediation: 'Set `allow_anonymous = false` in the `auth { … }` block (legacy: `allow_anonymous=false`) and give clients users in the password file (`password = {include "/etc/nanomq_pwd.conf"}`) or HTTP authentication.',
    references: ['https://nanomq.io/docs/en/latest/config-description/acl.html', 'https://nanomq.io/docs/en/latest/access-control/introduction.html'],
  },
  judge({ 'config.nanomq': n }) {
    if (!n.configs.length) return { status: 'SKIP', message: 'no nanomq.conf among the inputs (only password or ACL files)' };
    const fails: Verdict[] = [];
    for (const c of n.configs) {
      const s = c.allowAnonymous;
      if (s.value) fails.push({ status: 'FAIL', message: `${s.key} = true${s.set ? '' : ' (not set: NanoMQ\'s default)'}: clients connect without credentials`, location: at(s.at) });
    }
    return failuresOr(fails, 'allow_anonymous = false');
  },
});
