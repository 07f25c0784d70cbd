import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-080',
    name: 'mosquitto-dynsec-default-access',
    title: 'Mosquitto dynamic security allows publishing or subscribing by default',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      '`defaultACLAccess` decides what the dynamic-security plugin does when no role ACL matches. `publishClientSend = true` lets every client, the anonymous group included, publish to any topic no role denies; `subscribe = true` lets every client subscribe to any filter, and with `publishClientReceive = true` (the generated default) it then receives every message. The plugin generates `publishClientSend` and `subscribe` false, `publishClientReceive` and `unsubscribe` true; a missing key counts as false. `publishClientReceive` and `unsubscribe` alone grant nothing a subscription has not granted, so they are not findings.',
    remediation:
      'Set `"publishClientSend": false` and `"subscribe": false` under `defaultACLAccess` (live: `mosquitto_ctrl -u admin dynsec setDefaultACLAccess publishClientSend deny` and `… subscribe deny`), then grant what clients need through roles.',
    references: ['https://mosquitto.org/documentation/dynamic-security/', 'https://github.com/eclipse-mosquitto/mosquitto/blob/master/plugins/dynamic-security/README.md'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    for (const cfg of configs) {
      const a = cfg.defaultACLAccess;
      if (a.publishClientSend.value) {
        fails.push({ status: 'FAIL', message: `${cfg.file}: defaultACLAccess.publishClientSend is true: every client may publish to any topic no role denies`, location: dynsecLoc(a.publishClientSend.at), key: a.publishClientSend.at.pointer });
      }
      if (a.subscribe.value) {
        const receive = a.publishClientReceive.value;
        fails.push({
          status: 'FAIL',
          message: `${cfg.file}: defaultACLAccess.subscribe is true${receive ? ' and publishClientReceive is true: every client may subscribe to # and receive every message no role denies' : ': every client may subscribe to any filter (publishClientReceive is false, so delivery still needs a role)'}`,
          location: dynsecLoc(a.subscribe.at),
          key: a.subscribe.at.pointer,
          ...(receive ? {} : { severity: 'medium' as const }),
        });
      }
    }
    return dynsecVerdicts(fails, unread, 'defaultACLAccess denies publishing and subscribing (roles grant them)');
  },
});
