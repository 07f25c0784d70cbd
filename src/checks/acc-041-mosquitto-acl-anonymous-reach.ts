import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { ELSEWHERE, reach, reachText } from '../acl/analysis.js';
import { mosquittoEvaluators } from '../acl/from-facts.js';
import { at, failuresOr, unreadFilesSkip } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-041',
    name: 'mosquitto-acl-anonymous-reach',
    title: 'Anonymous clients can read or write topics (Mosquitto ACL)',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    uses: ['config.passwords'],
    description:
      'When anonymous clients can connect (ACC-030 reports `allow_anonymous true` itself), this evaluates what the ACL files then let them do: the rules before the first `user` line, and every `pattern` rule (patterns apply to anonymous clients too, with the client id they choose for `%c`). Each topic the rules name is asked for read and write, wildcards standing for any level; `$SYS` is left to ACC-042.',
    remediation:
      'Set `allow_anonymous false` and give devices their own users, or leave anonymous clients only what is public: remove the rules above the first `user` line that grant more, and scope patterns with `%u` (which anonymous clients never match) rather than `%c` (which they choose). `mqtt-warden acl who-can write TOPIC` lists who else can.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m, 'config.passwords': pw }) {
    const evaluators = mosquittoEvaluators(m, pw);
    if (!evaluators.length) return { status: 'SKIP', message: m.aclFiles.length ? `ACL file not readable: ${m.aclFiles.map((f) => `${f.path} (${f.error})`).join(', ')}` : 'no ACL file given or referenced by acl_file' };
    const fails: Verdict[] = [];
    let gated: string | undefined;
    for (const e of evaluators) {
      const probe = e.evaluate({}, 'read', ELSEWHERE);
      if (probe.cannotConnect) {
        gated = probe.fallback;
        continue;
      }
      // $SYS is ACC-042's.
      const rs = reach(e, {}, [ELSEWHERE], (t) => !t.startsWith('$SYS'));
      if (!rs.length) continue;
      const wide = rs.some((r) => r.topic === ELSEWHERE);
      const first = rs.find((r) => r.decision.rule)?.decision.rule;
      fails.push({
        status: 'FAIL',
        message: `anonymous clients may ${reachText(rs)}${wide ? ' — including topics no rule names' : ''}`,
        location: at(first?.loc ?? { file: e.acl.file, line: 1, column: 1 }),
        ...(wide || rs.some((r) => r.action === 'write') ? { severity: 'high' as const } : {}),
        evidence: { reach: rs.map((r) => ({ action: r.action, topic: r.topic, rule: r.decision.rule ? `${r.decision.rule.loc.file}:${r.decision.rule.loc.line}` : null })) },
      });
    }
    if (!fails.length) {
      const skip = unreadFilesSkip(m.aclFiles, 'ACL file', 'give anonymous clients nothing');
      if (skip) return skip;
    }
    return failuresOr(fails, gated ? `anonymous clients cannot connect: ${gated.replace(/^cannot connect: /, '')}` : 'the ACL files give anonymous clients nothing');
  },
});
