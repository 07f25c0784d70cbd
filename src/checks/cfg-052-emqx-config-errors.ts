import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-052',
    name: 'emqx-config-errors',
    title: 'EMQX config or acl.conf does not parse',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'HOCON syntax errors, unresolved substitutions, bad listener binds, unreadable includes, and acl.conf files that are not valid Erlang terms or ACL rules: EMQX refuses to start, or (for acl.conf) the authorization source fails. One finding per problem, at its place.',
    remediation:
      'Fix the reported place; check with `emqx check_config` (or `emqx ctl conf reload --dry-run` where available) before deploying. `mqtt-warden lint /etc/emqx` re-checks the node\'s layered config and acl.conf.',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration.html', 'https://github.com/lightbend/config/blob/main/HOCON.md'],
  },
  judge({ 'config.emqx': e }) {
    const fails: Verdict[] = [];
    for (const cfg of e.configs) for (const i of cfg.issues) fails.push({ status: 'FAIL', message: i.message, location: at(i) });
    for (const f of e.aclFiles) {
      if (f.error) fails.push({ status: 'FAIL', severity: 'low', message: `${f.path} cannot be read (${f.error}): its rules were not checked`, location: at(f.ref) });
      for (const i of f.parsed?.issues ?? []) fails.push({ status: 'FAIL', message: i.message, location: at(i) });
    }
    return failuresOr(fails, 'all EMQX files parse');
  },
});
