import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { mosquittoDeadRules } from '../acl/analysis.js';
import { at, failuresOr, unreadFilesSkip } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-040',
    name: 'mosquitto-acl-dead-rule',
    title: 'Mosquitto ACL rule that can never decide',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Evaluates the ACL files as Mosquitto 2.0 does: in each list (the anonymous rules, one user\'s rules, the patterns) the `deny` rules are tried first, so an allow whose filter lies inside a deny of the same list never grants anything; an allow covered by an earlier allow with at least its access never decides; a `topic` rule with `%u` or `%c` matches a literal "%u" level, because only `pattern` rules replace them. Such rules say one thing and do another. `mqtt-warden acl can USER read TOPIC -v` shows the rules Mosquitto looks at for one question.',
    remediation: 'Delete the dead rule, or narrow the deny that covers it; write rules with %u/%c as `pattern` lines (`pattern readwrite devices/%c/#`). Check the result with `mqtt-warden acl matrix --mosquitto-conf /etc/mosquitto/mosquitto.conf`.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.aclFiles.length) return { status: 'SKIP', message: 'no ACL file given or referenced by acl_file' };
    const fails: Verdict[] = [];
    for (const f of m.aclFiles) {
      if (!f.parsed) continue;
      for (const d of mosquittoDeadRules(f.parsed)) fails.push({ status: 'FAIL', message: d.why, location: at(d.rule) });
    }
    if (!fails.length) {
      const skip = unreadFilesSkip(m.aclFiles, 'ACL file', 'hold no dead rule');
      if (skip) return skip;
    }
    return failuresOr(fails, 'every ACL rule can decide some request');
  },
});
