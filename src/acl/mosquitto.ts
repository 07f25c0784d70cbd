/**
 * Mosquitto 2.0 `acl_file` evaluated as the broker does (src/security_default.c and the
 * `$` checks of src/security.c in 2.0; read upstream, not copied):
 *
 * - `topic` rules before any `user` line belong to anonymous clients; after `user NAME`, to the
 *   client with that username (several blocks of one name are merged). `pattern` rules apply to
 *   every client, whatever block they are in.
 * - A client's own list is searched first, then the patterns. In each list the `deny` rules come
 *   first (each new deny is put at the front, so the last one written is tried first), then the
 *   others in file order. A matching `deny` refuses; a matching rule with the asked access grants;
 *   a matching rule without it (`read` for a write) is passed over. Nothing granted → refused.
 * - A client with no list of its own and no patterns at all is refused everything.
 * - Patterns: `%c` and `%u` are replaced by the client id and username anywhere in the filter;
 *   a pattern with `%u` is skipped for a client without a username; a username or client id
 *   containing `+` or `#` is refused once patterns are reached.
 * - `$` topics: a filter and a topic match only if both start with `$` or neither does.
 * - Before any rule (security.c): writing to `$SYS/...` is refused except
 *   `$SYS/broker/connection/+/state`; reading or writing `$share/...` topics is refused.
 * - Mosquitto 2.0 does not check SUBSCRIBE against acl_file at all (security_default.c returns
 *   success for subscribe and unsubscribe): the SUBACK grants, delivery is checked as `read`.
 */
import type { AclFile, AclRule } from '../config/mosquitto.js';
import { mosquittoMatches } from './topic.js';
import { NEUTRAL_CLIENT_ID, type AclAction, type AclEvaluator, type Considered, type Decision, type Identity, type RuleRef } from './model.js';

const SOURCE = 'mosquitto acl_file';

function ref(r: AclRule): RuleRef {
  return { source: SOURCE, loc: { file: r.file, line: r.line, column: r.column }, text: `${r.kind} ${r.access} ${r.topic}`, topics: [r.topic] };
}

/** The order Mosquitto searches one list in: denies last-first, then the others in file order. */
function searchOrder(rules: AclRule[]): AclRule[] {
  const denies = rules.filter((r) => r.access === 'deny').reverse();
  return [...denies, ...rules.filter((r) => r.access !== 'deny')];
}

const grants = (r: AclRule, action: 'read' | 'write') => r.access === 'readwrite' || r.access === action;

export interface MosquittoAclOptions {
  /** Why an identity cannot even connect (allow_anonymous false, not in the password file); undefined = it can. */
  connectGate?: (id: Identity) => string | undefined;
  /** Usernames known besides the ACL file's `user` lines (the password file's). */
  extraUsers?: readonly string[];
  /** Test hook: change a decision after evaluation (used to prove that `acl verify` catches a model bug). */
  tamper?: (d: Decision, id: Identity, action: AclAction, topic: string) => Decision;
}

export class MosquittoAclEvaluator implements AclEvaluator {
  readonly name: string;
  constructor(
    readonly acl: AclFile,
    readonly opts: MosquittoAclOptions = {},
  ) {
    this.name = `${SOURCE} ${acl.file}`;
  }

  rules(): RuleRef[] {
    return this.acl.rules.map(ref);
  }

  identities(): Identity[] {
    const names = [...new Set([...this.acl.users.map((u) => u.name), ...(this.opts.extraUsers ?? [])])];
    return [{}, ...names.map((username) => ({ username }))];
  }

  clientIdsFor(topic: string): string[] {
    const out = new Set<string>();
    const tl = topic.split('/');
    for (const r of this.acl.rules) {
      if (r.kind !== 'pattern' || !r.topic.includes('%c')) continue;
      r.topic.split('/').forEach((level, i) => {
        if (!level.includes('%c') || level.includes('%u') || tl[i] === undefined) return;
        const re = new RegExp(`^${level.split('%c').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.+)')}$`);
        const m = re.exec(tl[i]!);
        // Only an id with which the whole pattern matches the topic (any username for %u).
        if (m && m.slice(1).every((v) => v === m[1]) && !/[+#]/.test(m[1]!) && mosquittoMatches(r.topic.replaceAll('%c', m[1]!).replace(/%u/g, '+'), topic)) out.add(m[1]!);
      });
    }
    return [...out];
  }

  evaluate(id: Identity, action: AclAction, topic: string): Decision {
    const d = this.decide(id, action, topic);
    return this.opts.tamper ? this.opts.tamper(d, id, action, topic) : d;
  }

  private decide(id: Identity, action: AclAction, topic: string): Decision {
    const gate = this.opts.connectGate?.(id);
    if (gate) return { allowed: false, cannotConnect: true, fallback: `cannot connect: ${gate}`, chain: [], notes: [] };
    if (action === 'subscribe') {
      const notes = ['Mosquitto 2.0 does not check SUBSCRIBE against acl_file: the subscription is granted, and each message is then checked as "read" before delivery'];
      if (topic.startsWith('$share/')) notes.push('$share subscriptions are allowed by the broker; delivery is checked against the shared filter\'s topics');
      return { allowed: true, fallback: 'acl_file does not judge SUBSCRIBE (Mosquitto 2.0)', chain: [], notes };
    }
    if (topic.startsWith('$SYS') && action === 'write' && !mosquittoMatches('$SYS/broker/connection/+/state', topic)) {
      return { allowed: false, fallback: 'the broker refuses client writes to $SYS before any ACL rule', chain: [], notes: [] };
    }
    if (topic.startsWith('$share')) return { allowed: false, fallback: 'the broker refuses publishing to or reading $share topics before any ACL rule', chain: [], notes: [] };

    const clientId = id.clientId ?? NEUTRAL_CLIENT_ID;
    const chain: Considered[] = [];
    const own = this.acl.rules.filter((r) => r.kind === 'topic' && r.user === id.username);
    const patterns = this.acl.rules.filter((r) => r.kind === 'pattern');
    const listName = id.username === undefined ? 'the anonymous rules (before the first user line)' : `the rules of user "${id.username}"`;
    // Mosquitto creates a client's list with its first `topic` rule: a `user` line alone makes none.
    if (!own.length && !patterns.length) {
      return { allowed: false, fallback: `no rule applies: ${id.username === undefined ? 'no anonymous rules' : `no "user ${id.username}" block`} and no patterns → refused`, chain, notes: [] };
    }
    const step = (r: AclRule, filter: string, whose: string): Decision | undefined => {
      if (!mosquittoMatches(filter, topic)) {
        chain.push({ rule: ref(r), outcome: 'no-match', why: `${whose}: ${filter} does not match ${topic}` });
        return undefined;
      }
      if (r.access === 'deny') {
        chain.push({ rule: ref(r), outcome: 'deny', why: `${whose}: ${filter} matches; deny wins` });
        return { allowed: false, rule: ref(r), chain, notes: [] };
      }
      if (grants(r, action)) {
        chain.push({ rule: ref(r), outcome: 'allow', why: `${whose}: ${filter} matches and grants ${action}` });
        return { allowed: true, rule: ref(r), chain, notes: [] };
      }
      chain.push({ rule: ref(r), outcome: 'other-access', why: `${whose}: ${filter} matches but grants ${r.access} only` });
      return undefined;
    };
    for (const r of searchOrder(own)) {
      const d = step(r, r.topic, listName);
      if (d) return d;
    }
    if (patterns.length) {
      if (id.username !== undefined && /[+#]/.test(id.username)) return { allowed: false, fallback: `username "${id.username}" contains + or #: Mosquitto refuses it once patterns are reached`, chain, notes: [] };
      if (/[+#]/.test(clientId)) return { allowed: false, fallback: `client id "${clientId}" contains + or #: Mosquitto refuses it once patterns are reached`, chain, notes: [] };
    }
    for (const r of searchOrder(patterns)) {
      if (r.topic.includes('%u') && id.username === undefined) {
        chain.push({ rule: ref(r), outcome: 'no-match', why: 'pattern with %u: skipped for a client without a username' });
        continue;
      }
      const filter = r.topic.replace(/%([cu])/g, (m, k: string) => (k === 'c' ? clientId : (id.username ?? m)));
      const d = step(r, filter, 'pattern');
      if (d) return d;
    }
    return { allowed: false, fallback: 'no rule granted it → refused (acl_file denies what it does not grant)', chain, notes: [] };
  }
}
