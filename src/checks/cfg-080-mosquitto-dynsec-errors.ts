import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-080',
    name: 'mosquitto-dynsec-errors',
    title: 'Mosquitto dynamic-security config that cannot be read, is not valid JSON, or has entries the plugin skips',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'The dynamic-security plugin refuses a config file that is not valid JSON (cJSON: no comments, no trailing commas): it logs "Error loading Dynamic security plugin config: File is not valid JSON." and the broker runs with no clients, roles or groups, so every login is refused (measured with Mosquitto 2.0.11); the other dynamic-security checks cannot judge such a file either. Inside a valid file, the plugin silently skips a role, client or group without a name, a second one with the same name, an ACL with an unknown `acltype` or an empty topic, a second ACL of one type on the same topic, and a value of the wrong type (the default applies): each is reported at its line with its JSON pointer. A file named by `plugin_opt_config_file` that cannot be read is reported at that directive.',
    remediation:
      'Fix the reported place (validate with `python3 -m json.tool dynamic-security.json`), preferably through `mosquitto_ctrl dynsec …` commands, which write a valid file, and make `plugin_opt_config_file` name the file the broker uses.',
    references: ['https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.dynsec': d }) {
    const fails: Verdict[] = [];
    for (const f of d.files) {
      if (!f.parsed) {
        fails.push({ status: 'FAIL', message: `${f.path} cannot be read (${f.error ?? 'unknown error'}): its clients and roles were not checked`, location: at(f.ref) });
        continue;
      }
      for (const i of f.parsed.issues) fails.push({ status: 'FAIL', ...(i.incomplete ? {} : { severity: 'low' as const }), message: i.message, location: at(i) });
    }
    return failuresOr(fails, `${d.files.length} dynamic-security file(s) read, valid, and without entries the plugin skips`);
  },
});
