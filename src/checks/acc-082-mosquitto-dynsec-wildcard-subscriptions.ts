import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { anonymousRoles, clientRoles, isDynsecAdmin, type DynsecRole } from '../config/dynsec.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-082',
    name: 'mosquitto-dynsec-wildcard-subscriptions',
    title: 'Mosquitto dynamic-security roles of ordinary clients allow wildcard subscriptions',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      '`allowwildcardsubs` (default true when the key is missing) lets the clients of a role subscribe with `+` and `#` as far as its subscribe ACLs go. Devices and applications rarely need wildcards; without them a `subscribePattern` grant cannot be widened into topic scanning of a subtree. Reported for roles held by clients that are not administrators (or by the anonymous group) that may subscribe at all: a subscribe ACL that allows, or `defaultACLAccess.subscribe = true`.',
    remediation:
      'Turn wildcards off for the role with the plugin\'s `modifyRole` command, `{"command": "modifyRole", "rolename": "ROLE", "allowwildcardsubs": false}` published to `$CONTROL/dynamic-security/v1` (or set `"allowwildcardsubs": false` in the JSON while the broker is stopped), and give its clients literal subscriptions.',
    references: ['https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    for (const cfg of configs) {
      const ordinary = new Map<DynsecRole, string[]>();
      for (const c of cfg.clients) if (!c.disabled && !isDynsecAdmin(cfg, c)) for (const r of clientRoles(cfg, c)) ordinary.set(r, [...(ordinary.get(r) ?? []), `"${c.username}"`]);
      for (const r of anonymousRoles(cfg)) ordinary.set(r, [...(ordinary.get(r) ?? []), 'anonymous clients']);
      for (const [role, who] of ordinary) {
        if (!role.allowwildcardsubs) continue;
        const subscribes = cfg.defaultACLAccess.subscribe.value || role.acls.some((a) => a.allow && (a.acltype === 'subscribePattern' || a.acltype === 'subscribeLiteral'));
        if (!subscribes) continue;
        fails.push({
          status: 'FAIL',
          message: `role "${role.rolename}" (${role.at.pointer}) allows wildcard subscriptions (allowwildcardsubs is true, or missing: true by default) for ${who.slice(0, 5).join(', ')}${who.length > 5 ? ` and ${who.length - 5} more` : ''}`,
          location: dynsecLoc(role.at),
          key: role.rolename,
        });
      }
    }
    return dynsecVerdicts(fails, unread, 'no role of an ordinary client allows wildcard subscriptions');
  },
});
