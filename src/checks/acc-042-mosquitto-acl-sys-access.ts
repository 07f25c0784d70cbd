import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { reach, reachText } from '../acl/analysis.js';
import { mosquittoEvaluators } from '../acl/from-facts.js';
import { identityText } from '../acl/model.js';
import { at, failuresOr, unreadFilesSkip } from './config-util.js';

const SYS = '$SYS/broker/clients/connected';

export default defineCheck({
  meta: {
    id: 'ACC-042',
    name: 'mosquitto-acl-sys-access',
    title: '$SYS topics readable or writable through the Mosquitto ACL',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    uses: ['config.passwords'],
    description:
      '`$SYS/...` tells a reader the broker version, the client count and traffic figures: useful reconnaissance. `#` does not reach `$SYS` in Mosquitto, so only rules that name `$SYS` grant it. Mosquitto refuses client writes to `$SYS` except `$SYS/broker/connection/+/state`, which a `pattern write $SYS/broker/connection/%c/state` rule (upstream\'s example file) opens to any client that picks a bridge\'s name as its client id. Checks every identity the ACL and password files name, and anonymous clients when they can connect. ACC-003 and ACC-006 test the same on a live broker.',
    remediation: 'Remove `topic read $SYS/#` from the anonymous section and from users that do not monitor the broker; keep `$SYS` for a monitoring user, or set `sys_interval 0` when nothing reads it.',
    references: ['https://mosquitto.org/man/mosquitto-8.html'],
  },
  judge({ 'config.mosquitto': m, 'config.passwords': pw }) {
    const evaluators = mosquittoEvaluators(m, pw);
    if (!evaluators.length) return { status: 'SKIP', message: m.aclFiles.length ? `ACL file not readable: ${m.aclFiles.map((f) => `${f.path} (${f.error})`).join(', ')}` : 'no ACL file given or referenced by acl_file' };
    const fails: Verdict[] = [];
    for (const e of evaluators) {
      for (const id of e.identities()) {
        const rs = reach(e, id, [SYS], (t) => t.startsWith('$SYS'));
        if (!rs.length) continue;
        fails.push({
          status: 'FAIL',
          message: `${identityText(id)} may ${reachText(rs)}`,
          location: at(rs.find((r) => r.decision.rule)?.decision.rule?.loc ?? { file: e.acl.file, line: 1, column: 1 }),
        });
      }
    }
    if (!fails.length) {
      const skip = unreadFilesSkip(m.aclFiles, 'ACL file', 'let no identity read or write $SYS');
      if (skip) return skip;
    }
    return failuresOr(fails, 'no identity may read or write $SYS topics');
  },
});
