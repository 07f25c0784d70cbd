import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxDenyAfterAllow } from '../acl/analysis.js';
import { termText } from '../config/emqx-acl.js';
import { at, failuresOr, unreadEmqxAclSkip } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-059',
    name: 'emqx-acl-deny-after-allow',
    title: 'EMQX acl.conf denies a topic after an earlier rule allowed it',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'EMQX stops at the first matching rule: a `deny` placed after an `allow` for the same clients, action and topics does not apply to those topics (unlike Mosquitto, where a deny wins wherever it is written). The deny the author meant is not enforced. Reported when the earlier allow covers every client the deny names (the usual "allow one user, deny the rest" order is not reported).',
    remediation: 'Move the deny above the allow it should override, e.g. `{deny, {username, "alice"}, publish, ["plant/secret/door"]}.` before `{allow, {username, "alice"}, publish, ["plant/+/door"]}.`, then check with `mqtt-warden acl can alice write plant/secret/door --emqx-acl acl.conf`.',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.aclFiles.length) return { status: 'SKIP', message: 'no acl.conf given or referenced by an enabled file authorization source' };
    const fails: Verdict[] = [];
    for (const f of e.aclFiles) {
      if (!f.parsed) continue;
      for (const d of emqxDenyAfterAllow(f.parsed.rules)) {
        fails.push({ status: 'FAIL', message: `${termText(d.rule.term)} does not deny ${d.topics.join(', ')}: the earlier ${d.allow.loc.file}:${d.allow.loc.line} (${termText(d.allow.term)}) allows it first`, location: at(d.rule.loc) });
      }
    }
    const skip = fails.length ? undefined : unreadEmqxAclSkip(e.aclFiles, 'have no deny after an allow');
    if (skip) return skip;
    return failuresOr(fails, 'no deny rule comes after an allow of the same topics');
  },
});
