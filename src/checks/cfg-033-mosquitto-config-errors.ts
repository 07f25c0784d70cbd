import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { NEW_IN_2_1, mosquittoSeries } from '../config/mosquitto.js';
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
      'Unknown directives (every option of Mosquitto 2.0 and 2.1 is known; with the target version 2.0 — `lint --mosquitto-version 2.0`, or the installed package — the options new in 2.1 are errors too, since 2.0 refuses them), malformed values, a `plugin_use` naming no `plugin_load`, unreadable include_dir directories and files referenced by the config that cannot be read: Mosquitto refuses to start on most of these, or reads something other than what the author meant (a trailing `# comment` after a path becomes part of the path). One finding per problem, at its place.',
    remediation:
      'Fix the reported line; validate with `mosquitto -c FILE -v` on the target version before deploying. `mqtt-warden lint /etc/mosquitto/mosquitto.conf` re-checks the config together with its ACL, password and PSK files.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    const fails: Verdict[] = [];
    for (const cfg of m.configs) for (const i of cfg.issues) fails.push({ status: 'FAIL', message: i.message, location: at(i) });
    // A 2.1 option in a config for a 2.0 broker: 2.0 refuses to start on it.
    if (mosquittoSeries(m.target?.version) === '2.0') {
      for (const cfg of m.configs) {
        for (const d of cfg.directives) {
          if (NEW_IN_2_1.has(d.key) || (d.key === 'protocol' && d.args[0] === 'http_api')) {
            fails.push({ status: 'FAIL', message: `${d.key === 'protocol' ? 'protocol http_api' : d.key} is new in Mosquitto 2.1: ${m.target!.version} (${m.target!.source}) refuses to start on it`, location: at(d) });
          }
        }
      }
    }
    for (const f of [...m.aclFiles, ...m.pskFiles]) {
      if (f.error) fails.push({ status: 'FAIL', severity: 'low', message: `${f.path} cannot be read (${f.error}): its contents were not checked`, location: at(f.ref) });
      for (const i of f.parsed?.issues ?? []) fails.push({ status: 'FAIL', message: i.message, location: at(i) });
    }
    return failuresOr(fails, 'all Mosquitto files parse');
  },
});
