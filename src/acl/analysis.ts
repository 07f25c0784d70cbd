/**
 * Static analysis of rule lists, for the ACL checks: rules that can never decide, denies that come
 * after an allow of the same topics, and what an identity can reach. Pure.
 */
import type { AclFile, AclRule } from '../config/mosquitto.js';
import type { EmqxAclRule } from '../config/emqx-acl.js';
import { ANY_LEVEL, emqxMatches, validFilter } from './topic.js';
import { evaluatedTopic, forIdentity } from './query.js';
import { NEUTRAL_CLIENT_ID, type AclEvaluator, type Decision, type Identity } from './model.js';

/** Every topic (or filter) `inner` can name is also named by `outer` (placeholders compared as text). */
export function covers(outer: string, inner: string, dollarApart: boolean): boolean {
  if (dollarApart && outer.startsWith('$') !== inner.startsWith('$')) return false;
  const o = outer.split('/');
  const n = inner.split('/');
  for (let i = 0; i < o.length; i++) {
    if (o[i] === '#') return true;
    if (i >= n.length) return false;
    if (n[i] === '#') return false;
    if (o[i] === '+') continue;
    if (n[i] === '+' || n[i] !== o[i]) return false;
  }
  return o.length === n.length;
}

export interface DeadRule {
  rule: AclRule;
  why: string;
}

const accessSet = (a: AclRule['access']) => (a === 'readwrite' ? ['read', 'write'] : a === 'deny' ? [] : [a]);

/**
 * Mosquitto rules that never decide anything: an allow inside a deny of the same list (denies are
 * tried first), an allow covered by an earlier allow of the same list with at least its access, and
 * `topic` rules with %u/%c (only `pattern` rules replace them: such a rule matches a literal "%u" level).
 */
export function mosquittoDeadRules(acl: AclFile): DeadRule[] {
  const out: DeadRule[] = [];
  const lists = new Map<string, AclRule[]>();
  for (const r of acl.rules) {
    const k = r.kind === 'pattern' ? 'pattern' : `topic\0${r.user ?? ''}\0${r.user === undefined ? 'anon' : 'user'}`;
    lists.set(k, [...(lists.get(k) ?? []), r]);
  }
  for (const rules of lists.values()) {
    rules.forEach((r, i) => {
      if (r.kind === 'topic' && /%[uc]/.test(r.topic)) {
        out.push({ rule: r, why: `"topic ${r.access} ${r.topic}": %u and %c are replaced only in pattern rules; this rule matches a literal "${/%u/.test(r.topic) ? '%u' : '%c'}" level (write it as "pattern ${r.access} ${r.topic}")` });
        return;
      }
      if (r.access === 'deny') {
        const earlier = rules.slice(0, i).find((d) => d.access === 'deny' && covers(d.topic, r.topic, true));
        if (earlier) out.push({ rule: r, why: `"deny ${r.topic}" repeats the deny of ${earlier.file}:${earlier.line} (${earlier.topic}), which covers it` });
        return;
      }
      const deny = rules.find((d) => d.access === 'deny' && covers(d.topic, r.topic, true));
      if (deny) {
        out.push({ rule: r, why: `"${r.kind} ${r.access} ${r.topic}" never grants: the deny of ${deny.file}:${deny.line} (${deny.topic}) covers it, and Mosquitto tries denies first` });
        return;
      }
      const want = accessSet(r.access);
      const earlier = rules.slice(0, i).find((a) => a.access !== 'deny' && covers(a.topic, r.topic, true) && want.every((w) => accessSet(a.access).includes(w)));
      if (earlier) out.push({ rule: r, why: `"${r.kind} ${r.access} ${r.topic}" never decides: ${earlier.file}:${earlier.line} (${earlier.kind} ${earlier.access} ${earlier.topic}) comes first and grants at least as much` });
    });
  }
  return out.sort((a, b) => a.rule.line - b.rule.line);
}

/** The topic list of an EMQX rule; `{Perm, all}` is every topic. */
function emqxTopics(r: EmqxAclRule): { eq?: true; t: string }[] {
  if (r.catchAll) return [{ t: '#' }];
  return (r.topics ?? []).map((t) => (t.startsWith('eq ') ? { eq: true, t: t.slice(3) } : { t }));
}
const emqxAction = (r: EmqxAclRule) => (r.catchAll ? 'all' : r.action === 'pubsub' ? 'all' : (r.action ?? 'all'));
/** Who: a rule for `all` covers every client; otherwise only the same condition, as written. */
const whoCovers = (outer: EmqxAclRule, inner: EmqxAclRule) => outer.who === 'all' || (outer.catchAll && !outer.securityProfile) || outer.who === inner.who;
const actionCovers = (outer: string, inner: string) => outer === 'all' || outer === inner;
const actionsMeet = (a: string, b: string) => a === 'all' || b === 'all' || a === b;

function topicCovers(o: { eq?: true; t: string }, i: { eq?: true; t: string }): boolean {
  if (o.eq) return Boolean(i.eq) && o.t === i.t;
  // {eq, T} is one exact request string: a filter answers it if it matches it word by word, as EMQX does.
  return i.eq ? emqxMatches(o.t, i.t) : covers(o.t, i.t, false);
}
export interface ShadowedRule {
  rule: EmqxAclRule;
  by: EmqxAclRule;
}

/** EMQX rules an earlier rule of the file always answers first (first match wins). */
export function emqxShadowed(rules: readonly EmqxAclRule[]): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  rules.forEach((r, j) => {
    const by = rules.slice(0, j).find((i) => whoCovers(i, r) && actionCovers(emqxAction(i), emqxAction(r)) && emqxTopics(r).every((t) => emqxTopics(i).some((o) => topicCovers(o, t))) && (!i.securityProfile || i.securityProfile === r.securityProfile));
    if (by) out.push({ rule: r, by });
  });
  return out;
}

/**
 * EMQX deny rules after an allow for the same clients and action whose topic covers (some of) the
 * deny's topics: on those the allow answers first. A broader deny after a narrower allow (`{deny, all}`
 * last) is the intended layering and is not reported.
 */
export function emqxDenyAfterAllow(rules: readonly EmqxAclRule[]): { rule: EmqxAclRule; allow: EmqxAclRule; topics: string[] }[] {
  const out: { rule: EmqxAclRule; allow: EmqxAclRule; topics: string[] }[] = [];
  rules.forEach((r, j) => {
    if (r.perm !== 'deny') return;
    for (const a of rules.slice(0, j)) {
      if (a.perm !== 'allow' || a.securityProfile || !whoCovers(a, r) || !actionsMeet(emqxAction(a), emqxAction(r))) continue;
      const hit = emqxTopics(r).filter((t) => emqxTopics(a).some((o) => topicCovers(o, t)));
      if (hit.length) {
        out.push({ rule: r, allow: a, topics: hit.map((t) => (t.eq ? `{eq, ${t.t}}` : t.t)) });
        return;
      }
    }
  });
  return out;
}

export interface Reach {
  topic: string;
  action: 'read' | 'write';
  decision: Decision;
}

/** A topic no rule names, standing for "everything else". */
export const ELSEWHERE = `${ANY_LEVEL}/${ANY_LEVEL}`;

/**
 * What an identity may read or write among the topics the rules name (placeholders filled in for
 * it, wildcards standing for a level no rule names) and `extra` topics. Denied answers are left out.
 */
export function reach(e: AclEvaluator, id: Identity, extra: readonly string[] = [], filter: (t: string) => boolean = () => true): Reach[] {
  const topics = new Set<string>();
  for (const r of e.rules()) {
    for (const t of r.topics) {
      const f = e.fillsPlaceholders === false ? t : forIdentity(t, id);
      if (f !== undefined && validFilter(f)) topics.add(f);
    }
  }
  for (const t of extra) topics.add(t);
  const out: Reach[] = [];
  for (const t of [...topics].filter(filter)) {
    for (const action of ['read', 'write'] as const) {
      const topic = evaluatedTopic(action, t);
      const decision = e.evaluate(id, action, topic);
      if (decision.allowed) out.push({ topic: t, action, decision });
    }
  }
  return out;
}

/** "read public/#, write public/anon (acl:3)" — at most `max` entries. */
export function reachText(rs: readonly Reach[], max = 6, verbs: Record<'read' | 'write', string> = { read: 'read', write: 'write' }): string {
  const parts = rs.slice(0, max).map((r) => `${verbs[r.action]} ${r.topic} (${r.decision.rule ? `${r.decision.rule.loc.file}:${r.decision.rule.loc.line}` : (r.decision.fallback ?? 'default')})`);
  const own = rs.some((r) => r.topic.includes(NEUTRAL_CLIENT_ID)) ? ` (${NEUTRAL_CLIENT_ID} stands for the client id, which the client picks itself)` : '';
  return parts.join(', ') + (rs.length > max ? `, and ${rs.length - max} more` : '') + own;
}
