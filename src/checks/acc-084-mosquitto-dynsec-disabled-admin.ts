import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { isDynsecAdmin } from '../config/dynsec.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-084',
    name: 'mosquitto-dynsec-disabled-admin',
    title: 'Disabled Mosquitto dynamic-security administrators are still present',
    strategy: 'access',
    severity: 'info',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'A disabled client cannot log in, but it keeps its password hash and its roles: one `enableClient` command (by any administrator, or by anyone who can edit the file) brings back a full administrator with a password that may be old or known. An administrator is a client one of whose roles may publish to `$CONTROL/dynamic-security/#`.',
    remediation: 'Delete administrator accounts that are no longer used: `mosquitto_ctrl -u admin dynsec deleteClient USERNAME`.',
    references: ['https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    for (const cfg of configs) {
      for (const c of cfg.clients) {
        if (c.disabled && isDynsecAdmin(cfg, c)) fails.push({ status: 'FAIL', message: `administrator "${c.username}" (${c.at.pointer}) is disabled but still defined with its roles and password`, location: dynsecLoc(c.at), key: c.username });
      }
    }
    return dynsecVerdicts(fails, unread, 'no disabled administrator is kept');
  },
});
