import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxShadowed } from '../acl/analysis.js';
import { termText } from '../config/emqx-acl.js';
import { at, failuresOr, unreadEmqxAclSkip } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-063',
    name: 'emqx-acl-rule-shadowed',
    title: 'EMQX acl.conf rule that is never reached',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'EMQX answers with the first rule of acl.conf whose client condition, action and topic match. A rule whose clients, action and every topic are already covered by an earlier rule is never reached: it reads like policy and does nothing. Everything after `{allow, all}.` or `{deny, all}.` is such a rule. A deny after an allow of the same topics is ACC-059.',
    remediation: 'Delete the unreachable rule, or move it above the rule that covers it if it was meant to take precedence. `mqtt-warden acl can USER write TOPIC --emqx-acl acl.conf -v` shows which rule answers.',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.aclFiles.length) return { status: 'SKIP', message: 'no acl.conf given or referenced by an enabled file authorization source' };
    const fails: Verdict[] = [];
    for (const f of e.aclFiles) {
      if (!f.parsed) continue;
      for (const s of emqxShadowed(f.parsed.rules)) {
        if (s.rule.perm === 'deny' && s.by.perm === 'allow') continue; // ACC-059
        fails.push({ status: 'FAIL', message: `${termText(s.rule.term)} is never reached: ${s.by.loc.file}:${s.by.loc.line} (${termText(s.by.term)}) answers every request it could match first`, location: at(s.rule.loc) });
      }
    }
    const skip = fails.length ? undefined : unreadEmqxAclSkip(e.aclFiles, 'hold no shadowed rule');
    if (skip) return skip;
    return failuresOr(fails, 'every acl.conf rule can be reached');
  },
});
