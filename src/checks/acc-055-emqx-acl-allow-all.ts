import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr, unreadEmqxAclSkip } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-055',
    name: 'emqx-acl-allow-all',
    title: 'EMQX acl.conf ends by allowing everything',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'The last rule of acl.conf is the fallback of the file source: `{allow, all}.` lets every client publish and subscribe to everything the earlier rules did not deny. The shipped acl.conf of EMQX 5.x up to 5.8 ends with `{allow, all}.`; newer ones end with `{allow, {security_profile, legacy}}.`, which is the same under the `legacy` security profile (the default up to EMQX 6.x) and does not apply under `hardened` (not reported when every EMQX config given runs hardened). A rule `{allow, all, all, ["#"]}` is reported too.',
    remediation: 'End acl.conf with `{deny, all}.` and set `authorization.no_match = deny`, granting each client only its topics (e.g. `{allow, all, all, ["${clientid}/#"]}`).',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.aclFiles.length) return { status: 'SKIP', message: 'no acl.conf given or referenced by an enabled file authorization source' };
    const fails: Verdict[] = [];
    // `{allow, {security_profile, legacy}}` does not apply when every node given runs the hardened profile.
    const hardened = e.configs.length > 0 && e.configs.every((c) => c.profile.name === 'hardened');
    for (const f of e.aclFiles) {
      for (const r of f.parsed?.rules ?? []) {
        if (r.perm !== 'allow') continue;
        if (r.catchAll && !r.securityProfile) fails.push({ status: 'FAIL', message: '{allow, all}: every client may publish and subscribe to every topic not denied above', location: at(r.loc) });
        else if (r.securityProfile === 'legacy' && !hardened) fails.push({ status: 'FAIL', message: '{allow, {security_profile, legacy}}: under the legacy profile (the default before EMQX 6.3) every client may publish and subscribe to every topic not denied above', location: at(r.loc) });
        else if (r.who === 'all' && r.action === 'all' && r.topics?.some((t) => t === '#')) fails.push({ status: 'FAIL', message: `${r.who === 'all' ? 'every client' : r.who} may publish and subscribe to "#"`, location: at(r.loc) });
      }
    }
    if (fails.length) return fails;
    // An unread file, or rules the parser could not take, may hold the allow-everything rule: no PASS then.
    const skip = unreadEmqxAclSkip(e.aclFiles, 'hold no allow-everything rule');
    if (skip) return skip;
    return failuresOr(fails, 'acl.conf has no allow-everything rule');
  },
});
