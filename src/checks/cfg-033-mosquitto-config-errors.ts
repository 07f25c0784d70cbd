import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-033',
    name: 'mosquitto-config-errors',
    title: 'Mosquitto config, ACL, password or PSK file does not parse',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Unknown directives, malformed values, unreadable include_dir directories and files referenced by the config that cannot be read: Mosquitto refuses to start on most of these, or reads something other than what the author meant (a trailing `# comment` after a path becomes part of the path). One finding per problem, at its place.',
    remediation:
      'Fix the reported line; validate with `mosquitto -c FILE -v` on the target version before deploying. `mqtt-warden lint /etc/mosquitto/mosquitto.conf` re-checks the config together with its ACL, password and PSK files.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    const fails: Verdict[] = [];
    for (const cfg of m.configs) for (const i of cfg.issues) fails.push({ status: 'FAIL', message: i.message, location: at(i) });
    for (const f of [...m.aclFiles, ...m.pskFiles]) {
      if (f.error) fails.push({ status: 'FAIL', severity: 'low', message: `${f.path} cannot be read (${f.error}): its contents were not checked`, location: at(f.ref) });
      for (const i of f.parsed?.issues ?? []) fails.push({ status: 'FAIL', message: i.message, location: at(i) });
    }
    return failuresOr(fails, 'all Mosquitto files parse');
  },
});
