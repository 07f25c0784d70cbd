import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { clientRoles, topicCovers } from '../config/dynsec.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-086',
    name: 'mosquitto-dynsec-democlient',
    title: 'The generated Mosquitto dynamic-security `democlient` is still present',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'When the dynamic-security plugin starts without a config file (Mosquitto 2.1), it generates one with an administrator `admin` and a demonstration client `democlient` holding the role `client`: publish, receive and subscribe on `#`. Both random passwords are written in plain text to `<config file>.pw`. A `democlient` left in production is a full-access account whose password sits in a file on disk (ACC-087).',
    remediation:
      'Delete it: `mosquitto_ctrl -u admin dynsec deleteClient democlient` (and the role if nothing else uses it: `mosquitto_ctrl -u admin dynsec deleteRole client`), then delete `<config file>.pw`.',
    references: ['https://mosquitto.org/documentation/dynamic-security/', 'https://github.com/eclipse-mosquitto/mosquitto/blob/master/plugins/dynamic-security/README.md'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    for (const cfg of configs) {
      const c = cfg.clients.find((x) => x.username === 'democlient');
      if (!c) continue;
      const full = clientRoles(cfg, c).filter((r) => r.acls.some((a) => a.allow && topicCovers(a.topic, '#')));
      fails.push({
        status: 'FAIL',
        ...(c.disabled ? { severity: 'low' as const } : full.length ? {} : { severity: 'medium' as const }),
        message: `client "democlient" (${c.at.pointer}) is still defined${c.disabled ? ' (disabled)' : ''}${full.length ? `, with full access to # through role ${full.map((r) => `"${r.rolename}"`).join(', ')}` : ''}`,
        location: dynsecLoc(c.at),
        key: 'democlient',
      });
    }
    return dynsecVerdicts(fails, unread, 'no generated democlient account');
  },
});
