import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { isCatchAllAllow, type NanomqAcl } from '../config/nanomq.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-091',
    name: 'nanomq-acl-no-match-allow',
    title: 'NanoMQ allows what no ACL rule denies (`no_match = allow` or a catch-all allow rule)',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq'],
    description:
      '`auth.no_match` (legacy `acl_nomatch`) decides publish and subscribe requests no ACL rule matched; NanoMQ\'s default and the shipped file say `allow`, so every topic not explicitly denied is open to every client. The shipped nanomq_acl.conf also ends with `{"permit": "allow"}`, a rule without user, client, address or topics that matches everything and has the same effect whatever `no_match` says.',
    remediation:
      'Set `no_match = deny` in the `auth { … }` block (legacy: `acl_nomatch=deny`), remove the final `{"permit": "allow"}` rule, and allow what each client needs with rules naming `username` or `clientid` and `topics`.',
    references: ['https://nanomq.io/docs/en/latest/config-description/acl.html', 'https://nanomq.io/docs/en/latest/access-control/acl.html'],
  },
  judge({ 'config.nanomq': n }) {
    const fails: Verdict[] = [];
    const catchAll = (acl: NanomqAcl | undefined) => {
      for (const r of acl?.rules ?? []) if (isCatchAllAllow(r)) fails.push({ status: 'FAIL', message: `${acl!.file}: the rule {"permit": "allow"${r.topics.length ? ', "topics": ["#"]' : ''}} matches every client and topic: everything not denied before it is allowed`, location: at(r) });
    };
    for (const c of n.configs) {
      const s = c.noMatch;
      if (s.value !== 'deny') fails.push({ status: 'FAIL', message: `${s.key} = ${s.value}${s.set ? '' : ' (not set: NanoMQ\'s default)'}: requests no ACL rule matches are allowed`, location: at(s.at) });
      catchAll(c.acl);
    }
    for (const f of n.aclFiles) catchAll(f.parsed);
    if (!n.configs.length && !n.aclFiles.some((f) => f.parsed)) return { status: 'SKIP', message: 'no nanomq.conf or readable NanoMQ ACL file among the inputs' };
    return failuresOr(fails, 'no_match = deny and no ACL rule allows everything');
  },
});
