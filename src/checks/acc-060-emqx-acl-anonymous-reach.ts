import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { ELSEWHERE, reach, reachText } from '../acl/analysis.js';

import { emqxEvaluator } from '../acl/from-facts.js';
import { at, failuresOr } from './config-util.js';

/** EMQX checks subscriptions, not deliveries: read is subscribe there. */
const EMQX_VERBS = { read: 'subscribe to', write: 'publish to' };

export default defineCheck({
  meta: {
    id: 'ACC-060',
    name: 'emqx-acl-anonymous-reach',
    title: 'Clients without a username can publish or subscribe (EMQX authorization)',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'Evaluates acl.conf as EMQX does (first match wins, then `authorization.no_match`) for a client that sent no username, which EMQX admits whenever authentication is not required (ACC-051, ACC-052): every topic the rules name, and a topic no rule names. Rules for `all`, `${clientid}` rules (the client picks its id) and `no_match = allow` (ACC-053; assumed the EMQX 5 default when unset, EMQX 6 defaults to deny) are what usually lets them in. `$SYS` is left to ACC-062.',
    remediation: 'Require authentication on every listener, and grant clients without a username nothing: put `{deny, all}.` last and set `authorization.no_match = deny`; scope shared rules by `${username}` (which such clients never match) instead of `${clientid}`. `mqtt-warden acl can - write TOPIC --emqx-conf /etc/emqx/emqx.conf -v` shows the deciding rule.',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/authz.html'],
  },
  judge({ 'config.emqx': e }) {
    const ev = emqxEvaluator(e, { version: 5 });
    if (!ev) return { status: 'SKIP', message: 'no acl.conf or EMQX config given' };
    // $SYS is ACC-062's.
    const rs = reach(ev, {}, [ELSEWHERE], (t) => !t.startsWith('$SYS'));
    if (!rs.length) return failuresOr([], 'clients without a username may neither publish nor subscribe anywhere');
    const wide = rs.some((r) => r.topic === ELSEWHERE);
    const loc = rs.find((r) => r.decision.rule)?.decision.rule?.loc ?? e.configs[0]?.anchor ?? { file: e.aclFiles[0]?.path ?? '', line: 1, column: 1 };
    const v: Verdict = {
      status: 'FAIL',
      message: `a client without a username may ${reachText(rs, 6, EMQX_VERBS)}${wide ? ' — including topics no rule names' : ''}`,
      location: at(loc),
      ...(wide ? { severity: 'high' as const } : {}),
    };
    return v;
  },
});
