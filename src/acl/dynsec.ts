/**
 * Mosquitto dynamic security (plugins/dynamic-security, 2.0: acl.c, roles/groups/clients;
 * read upstream, not copied), evaluated against a small input that mirrors the JSON field
 * names of dynamic-security.json, so a parser's output maps onto it one to one.
 *
 * - A client is found by username; a username the plugin does not know → the plugin defers
 *   (nothing else decides here: refused). An anonymous client uses `anonymousGroup`'s roles.
 * - The client's own roles (highest `priority` first, ties in file order) are searched first, then
 *   the roles of each of its groups (groups by the client's priority in the group, highest first).
 *   In each role the ACLs of the asked type are tried highest priority first; the first whose
 *   topic matches decides by its `allow`.
 * - Types: publishClientSend (write), publishClientReceive (read), subscribeLiteral (exact string
 *   of the SUBSCRIBE filter) and subscribePattern (the subscription must lie within the pattern).
 *   `%c` and `%u` are NOT replaced: Mosquitto 2.0 matches them as literal levels (measured on 2.0.11
 *   against the plugin: `devices/%c/#` does not let client `sensor7` publish to `devices/sensor7/x`).
 * - A role with `allowwildcardsubs: false` refuses any subscription with `+` or `#` when it is reached.
 * - Nothing matched → `defaultACLAccess` of that type (a missing key is false), except that
 *   `$CONTROL/...` topics are never granted by default.
 * - A client with `disabled: true` cannot connect. The broker refuses writes to `$SYS` before any plugin.
 */
import { mosquittoMatches, subWithinAcl } from './topic.js';
import { type AclAction, type AclEvaluator, type Considered, type Decision, type Identity, type RuleRef } from './model.js';
import type { SourceLoc } from '../config/io.js';

export type DynsecAclType = 'publishClientSend' | 'publishClientReceive' | 'subscribeLiteral' | 'subscribePattern' | 'unsubscribeLiteral' | 'unsubscribePattern';

/** Mirrors dynamic-security.json; `loc` is where the item is (absent: the file itself). */
export interface DynsecInput {
  file: string;
  defaultACLAccess?: Partial<Record<'publishClientSend' | 'publishClientReceive' | 'subscribe' | 'unsubscribe', boolean>>;
  roles?: { rolename: string; allowwildcardsubs?: boolean; acls?: { acltype: DynsecAclType | string; topic: string; priority?: number; allow?: boolean; loc?: SourceLoc }[]; loc?: SourceLoc }[];
  clients?: { username: string; clientid?: string; disabled?: boolean; roles?: { rolename: string; priority?: number }[]; loc?: SourceLoc }[];
  groups?: { groupname: string; roles?: { rolename: string; priority?: number }[]; clients?: { username: string; priority?: number }[]; loc?: SourceLoc }[];
  anonymousGroup?: string;
}

const SOURCE = 'dynamic security';

/** Stable by priority, highest first (the plugin sorts with a stable merge sort). */
const byPriority = <T extends { priority?: number }>(xs: readonly T[]) => xs.map((x, i) => ({ x, i })).sort((a, b) => (b.x.priority ?? 0) - (a.x.priority ?? 0) || a.i - b.i).map((e) => e.x);

export class DynsecEvaluator implements AclEvaluator {
  readonly name: string;
  readonly fillsPlaceholders = false as const;
  constructor(
    readonly input: DynsecInput,
    readonly tamper?: (d: Decision, id: Identity, action: AclAction, topic: string) => Decision,
  ) {
    this.name = `${SOURCE} ${input.file}`;
  }

  private at(loc: SourceLoc | undefined): SourceLoc {
    return loc ?? { file: this.input.file, line: 1, column: 1 };
  }

  rules(): RuleRef[] {
    return (this.input.roles ?? []).flatMap((r) => (r.acls ?? []).map((a) => this.aclRef(r.rolename, a)));
  }

  private aclRef(role: string, a: NonNullable<NonNullable<DynsecInput['roles']>[number]['acls']>[number]): RuleRef {
    return { source: SOURCE, loc: this.at(a.loc), text: `role ${role}: ${a.acltype} ${a.topic} ${a.allow ? 'allow' : 'deny'} (priority ${a.priority ?? 0})`, topics: [a.topic] };
  }

  identities(): Identity[] {
    return [{}, ...(this.input.clients ?? []).map((c) => ({ username: c.username, ...(c.clientid ? { clientId: c.clientid } : {}) }))];
  }

  /** No ACL depends on the client id: 2.0 does not replace %c (see above). */
  clientIdsFor(): string[] {
    return [];
  }

  evaluate(id: Identity, action: AclAction, topic: string): Decision {
    const d = this.decide(id, action, topic);
    return this.tamper ? this.tamper(d, id, action, topic) : d;
  }

  /** The role lists searched, in order, with what each list belongs to. */
  private roleLists(id: Identity): { whose: string; roles: string[] }[] | string {
    const groups = this.input.groups ?? [];
    const roleNames = (rs: { rolename: string; priority?: number }[] | undefined) => byPriority(rs ?? []).map((r) => r.rolename);
    if (id.username === undefined) {
      const g = groups.find((x) => x.groupname === this.input.anonymousGroup);
      return g ? [{ whose: `anonymous group "${g.groupname}"`, roles: roleNames(g.roles) }] : [];
    }
    const c = (this.input.clients ?? []).find((x) => x.username === id.username);
    if (!c) return `no dynamic-security client "${id.username}": it cannot connect (the plugin authenticates only its clients)`;
    if (c.disabled) return `client "${id.username}" is disabled: it cannot connect`;
    if (c.clientid && id.clientId !== undefined && c.clientid !== id.clientId) return `client "${id.username}" must use client id "${c.clientid}"`;
    const member = groups.flatMap((g) => (g.clients ?? []).filter((m) => m.username === id.username).map((m) => ({ g, priority: m.priority })));
    return [{ whose: `client "${id.username}"`, roles: roleNames(c.roles) }, ...byPriority(member).map(({ g }) => ({ whose: `group "${g.groupname}"`, roles: roleNames(g.roles) }))];
  }

  private decide(id: Identity, action: AclAction, topic: string): Decision {
    const lists = this.roleLists(id);
    if (typeof lists === 'string') return { allowed: false, ...(lists.includes('cannot connect') ? { cannotConnect: true as const } : {}), fallback: lists, chain: [], notes: [] };
    if (action === 'write' && topic.startsWith('$SYS') && !mosquittoMatches('$SYS/broker/connection/+/state', topic)) {
      return { allowed: false, fallback: 'the broker refuses client writes to $SYS before any plugin', chain: [], notes: [] };
    }
    const chain: Considered[] = [];
    const roles = new Map((this.input.roles ?? []).map((r) => [r.rolename, r]));
    const types: string[] = action === 'write' ? ['publishClientSend'] : action === 'read' ? ['publishClientReceive'] : ['subscribeLiteral', 'subscribePattern'];
    for (const { whose, roles: names } of lists) {
      for (const name of names) {
        const role = roles.get(name);
        if (!role) continue;
        if (action === 'subscribe' && role.allowwildcardsubs === false && /[+#]/.test(topic)) {
          const r: RuleRef = { source: SOURCE, loc: this.at(role.loc), text: `role ${name}: allowwildcardsubs false`, topics: [] };
          chain.push({ rule: r, outcome: 'deny', why: `${whose}: role ${name} refuses wildcard subscriptions` });
          return { allowed: false, rule: r, chain, notes: [] };
        }
        for (const type of types) {
          for (const a of byPriority((role.acls ?? []).filter((x) => x.acltype === type))) {
            const r = this.aclRef(name, a);
            let hit: boolean;
            if (type === 'subscribeLiteral') hit = a.topic === topic;
            else hit = type === 'subscribePattern' ? subWithinAcl(a.topic, topic) : mosquittoMatches(a.topic, topic);
            if (!hit) {
              chain.push({ rule: r, outcome: 'no-match', why: `${whose}: ${a.topic} does not match ${topic}` });
              continue;
            }
            chain.push({ rule: r, outcome: a.allow ? 'allow' : 'deny', why: `${whose}: first matching ${type} ACL by priority` });
            return { allowed: Boolean(a.allow), rule: r, chain, notes: [] };
          }
        }
      }
    }
    const key = action === 'write' ? 'publishClientSend' : action === 'read' ? 'publishClientReceive' : 'subscribe';
    if (topic.startsWith('$CONTROL')) return { allowed: false, fallback: 'no ACL matched; $CONTROL topics are never granted by defaultACLAccess', chain, notes: [] };
    const v = this.input.defaultACLAccess?.[key] ?? false;
    return { allowed: v, fallback: `no ACL matched → defaultACLAccess.${key} = ${v}${this.input.defaultACLAccess?.[key] === undefined ? ' (missing: false)' : ''}`, chain, notes: [] };
  }
}
