import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { reach, reachText } from '../acl/analysis.js';

import { emqxEvaluator } from '../acl/from-facts.js';
import { identityText } from '../acl/model.js';
import { OTHER_USER } from '../acl/query.js';
import { at, failuresOr } from './config-util.js';

const SYS = '$SYS/brokers/mqtt-warden-any/version';

/** EMQX checks subscriptions, not deliveries: read is subscribe there. */
const EMQX_VERBS = { read: 'subscribe to', write: 'publish to' };

export default defineCheck({
  meta: {
    id: 'ACC-062',
    name: 'emqx-acl-sys-access',
    title: '$SYS topics open to subscribe or publish through EMQX authorization',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'Evaluates acl.conf (first match, then `no_match`, assumed the EMQX 5 default `allow` when unset) for every client the rules name, a client without a username and any other user, on `$SYS/...`: the broker\'s version, node names and traffic. EMQX\'s authorization lets `#` cover `$SYS`, so a broad allow or `no_match = allow` opens it. The shipped acl.conf denies subscribing to `$SYS/#` to everyone but the dashboard and localhost.',
    remediation: 'Keep `{deny, all, subscribe, ["$SYS/#", {eq, "#"}]}.` above the broad rules, allow `$SYS/#` only to a monitoring user, and set `authorization.no_match = deny`.',
    references: ['https://docs.emqx.com/en/emqx/latest/observability/mqtt-system-topics.html'],
  },
  judge({ 'config.emqx': e }) {
    const ev = emqxEvaluator(e, { version: 5 });
    if (!ev) return { status: 'SKIP', message: 'no acl.conf or EMQX config given' };
    const fails: Verdict[] = [];
    for (const id of [...ev.identities(), { username: OTHER_USER }]) {
      const rs = reach(ev, id, [SYS], (t) => t.startsWith('$SYS'));
      if (!rs.length) continue;
      const who = id.username === OTHER_USER ? 'any other user' : identityText(id);
      const loc = rs.find((r) => r.decision.rule)?.decision.rule?.loc ?? e.configs[0]?.anchor ?? { file: e.aclFiles[0]?.path ?? '', line: 1, column: 1 };
      fails.push({
        status: 'FAIL',
        message: `${who} may ${reachText(rs, 6, EMQX_VERBS)}`,
        location: at(loc),
        ...(id.username === undefined || id.username === OTHER_USER || rs.some((r) => r.action === 'write') ? { severity: 'medium' as const } : {}),
      });
    }
    return failuresOr(fails, 'no client may subscribe or publish to $SYS topics');
  },
});
