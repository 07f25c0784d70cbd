import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { termText } from '../config/emqx-acl.js';
import { at, failuresOr, unreadEmqxAclSkip } from './config-util.js';

/** A filter that covers every normal topic: "#", "+/#" and the like. */
const everything = (t: string) => /^(\+\/)*#$/.test(t);

export default defineCheck({
  meta: {
    id: 'ACC-061',
    name: 'emqx-acl-user-wildcard',
    title: 'EMQX acl.conf gives one client every topic',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'An `allow` rule for a named client (`{username, …}`, `{clientid, …}`, an address or a combination) whose topics include `#` (or `+/#`) lets that client read and write the whole broker, `$SYS` included (EMQX\'s authorization matches `#` against `$SYS/...`). ACC-055 reports the same for `all`; ACC-033 for Mosquitto. An administrator account is better served by `is_superuser` in the authentication backend, which EMQX logs as such, than by a wildcard rule that looks like any other.',
    remediation: 'Grant the client the subtrees it needs (`{allow, {username, "gateway"}, publish, ["plant/+/telemetry"]}.`); for a real administrator use a superuser in the authentication database and waive this finding for the rule that remains.',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.aclFiles.length) return { status: 'SKIP', message: 'no acl.conf given or referenced by an enabled file authorization source' };
    const fails: Verdict[] = [];
    for (const f of e.aclFiles) {
      for (const r of f.parsed?.rules ?? []) {
        if (r.perm !== 'allow' || r.catchAll || r.who === 'all') continue;
        const wide = (r.topics ?? []).filter(everything);
        if (wide.length) fails.push({ status: 'FAIL', message: `${termText(r.term)}: ${r.who} may ${r.action === 'all' ? 'publish and subscribe to' : `${r.action} to`} every topic (${wide.join(', ')})`, location: at(r.loc) });
      }
    }
    const skip = fails.length ? undefined : unreadEmqxAclSkip(e.aclFiles, 'grant no client every topic');
    if (skip) return skip;
    return failuresOr(fails, 'no rule gives a single client every topic');
  },
});
