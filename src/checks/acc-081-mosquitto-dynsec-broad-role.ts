import { defineCheck } from '../core/check.js';
import type { Severity, Verdict } from '../core/types.js';
import { anonymousRoles, clientRoles, isDynsecAdmin, topicCovers, type DynsecAcl, type DynsecRole } from '../config/dynsec.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

/** The filters a non-admin must not get, the worst first. */
const BROAD: { filter: string; severity: Severity; what: string }[] = [
  // A role that may publish there makes its holder an administrator; what is left for others is reading the answers.
  { filter: '$CONTROL/#', severity: 'high', what: 'the broker control topics: the plugin\'s answers list clients, roles and groups' },
  { filter: '#', severity: 'high', what: 'every application topic' },
  { filter: '$SYS/#', severity: 'medium', what: 'the $SYS broker statistics' },
];

/** ACL types that grant access (unsubscribing grants nothing). */
const GRANTING = new Set<DynsecAcl['acltype']>(['publishClientSend', 'publishClientReceive', 'subscribeLiteral', 'subscribePattern']);

export default defineCheck({
  meta: {
    id: 'ACC-081',
    name: 'mosquitto-dynsec-broad-role',
    title: 'Mosquitto dynamic-security roles grant #, $SYS/# or $CONTROL/# to ordinary clients',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'Follows every client to its roles (its own and its groups\'), and the anonymous group to its roles, and reports an allowing publish, receive or subscribe ACL whose topic covers `$CONTROL/#` (the control topics, whose answers list every client, role and group: high), `#` (every application topic: high) or `$SYS/#` (medium). Administrators are left out: a client is an administrator when one of its roles may publish to `$CONTROL/dynamic-security/#`. A `#` ACL does not cover `$SYS` or `$CONTROL` topics (MQTT wildcards never match topics starting with `$`). Priorities and deny ACLs are not weighed: a broad allow is reported even where a higher-priority deny narrows it.',
    remediation:
      'Give ordinary clients roles with the narrowest topics they need (`mosquitto_ctrl -u admin dynsec removeRoleACL ROLE subscribePattern "#"`, then `addRoleACL ROLE subscribePattern "sensors/%c/#" allow`), and keep `$CONTROL/#` for administrator roles.',
    references: ['https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    for (const cfg of configs) {
      // One finding per role and filter, naming every ordinary holder.
      const holders = new Map<DynsecRole, string[]>();
      const hold = (r: DynsecRole, who: string) => holders.set(r, [...(holders.get(r) ?? []), who]);
      for (const c of cfg.clients) if (!isDynsecAdmin(cfg, c)) for (const r of clientRoles(cfg, c)) hold(r, `client "${c.username}"${c.disabled ? ' (disabled)' : ''}`);
      if (cfg.anonymousGroup) for (const r of anonymousRoles(cfg)) hold(r, `anonymous clients (group "${cfg.anonymousGroup.groupname}")`);
      for (const [role, who] of holders) {
        for (const b of BROAD) {
          const acl = role.acls.find((a) => a.allow && GRANTING.has(a.acltype) && topicCovers(a.topic, b.filter));
          if (!acl) continue;
          const shown = who.slice(0, 5).join(', ') + (who.length > 5 ? ` and ${who.length - 5} more` : '');
          const allDisabled = who.every((w) => w.endsWith('(disabled)'));
          fails.push({
            status: 'FAIL',
            severity: allDisabled ? 'low' : b.severity,
            message: `role "${role.rolename}" allows ${acl.acltype} on "${acl.topic}" (${b.what}) and is held by ${shown}`,
            location: dynsecLoc(acl.at),
            key: `${role.rolename} ${b.filter}`,
            evidence: { pointer: acl.at.pointer, holders: who },
          });
        }
      }
    }
    return dynsecVerdicts(fails, unread, 'no ordinary client or the anonymous group holds a role granting #, $SYS/# or $CONTROL/#');
  },
});
