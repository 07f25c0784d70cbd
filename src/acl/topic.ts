/**
 * Topic matching as each broker does it for authorization. Hand-written: the
 * brokers differ in exactly the corners a generic MQTT matcher smooths over
 * (`$` topics, filter-against-filter matching), and the differences are the point.
 *
 * Facts (read in the upstream sources, not copied):
 * - Mosquitto 2.0 `mosquitto_topic_matches_sub`: a filter and a topic match only if both or
 *   neither start with `$`; `+` is one level, `#` the rest including the parent (`a/#` matches `a`).
 * - EMQX `emqx_topic:match/2` on words (what `emqx_authz_rule` calls): `+` matches any word,
 *   also a `+` or `#` word of a subscription filter; `#` matches the rest; the `$` exclusion of
 *   `emqx_topic:match/2` applies to binaries only, so an authorization rule `#` covers `$SYS/...`.
 */

const levels = (t: string) => t.split('/');

/** Mosquitto: does filter `sub` match topic name `topic`? */
export function mosquittoMatches(sub: string, topic: string): boolean {
  if ((sub.startsWith('$') && !topic.startsWith('$')) || (topic.startsWith('$') && !sub.startsWith('$'))) return false;
  return wordsMatch(levels(topic), levels(sub));
}

function wordsMatch(name: string[], filter: string[]): boolean {
  let i = 0;
  for (; i < filter.length; i++) {
    const f = filter[i]!;
    if (f === '#') return true;
    if (i >= name.length) return false;
    if (f === '+' || f === name[i]) continue;
    return false;
  }
  return i === name.length;
}

/** EMQX authorization: does the rule filter match the requested topic (a name, or a filter for SUBSCRIBE)? */
export function emqxMatches(filter: string, topic: string): boolean {
  return wordsMatch(levels(topic), levels(filter));
}

/**
 * Mosquitto `mosquitto_sub_matches_acl` (dynamic security subscribePattern): is every topic the
 * subscription `sub` can receive inside the ACL filter `acl`? `+` in the subscription is covered only
 * by `+` or `#` in the ACL, `#` only by `#`.
 */
export function subWithinAcl(acl: string, sub: string): boolean {
  if ((sub.startsWith('$') && !acl.startsWith('$')) || (acl.startsWith('$') && !sub.startsWith('$'))) return false;
  const a = levels(acl);
  const s = levels(sub);
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '#') return true;
    if (i >= s.length) return false;
    const x = s[i]!;
    if (x === '#') return false;
    if (w === '+') continue;
    if (x === '+' || x !== w) return false;
  }
  return a.length === s.length;
}

/** A filter with a wildcard. */
export const hasWildcard = (t: string) => /(^|\/)[+#](\/|$)/.test(t);

/** A valid topic filter (MQTT 4.7): `#` only as the last level, wildcards only as whole levels. */
export function validFilter(t: string): boolean {
  if (!t || t.includes('\0')) return false;
  const l = levels(t);
  return l.every((w, i) => (w === '#' ? i === l.length - 1 : w === '+' || !/[+#]/.test(w)));
}

/** A level no rule names: stands for "any value" when a question's filter is made concrete. */
export const ANY_LEVEL = 'mqtt-warden-any';

/**
 * A concrete topic standing for every topic of a filter: each `+` becomes ANY_LEVEL, a final `#`
 * becomes ANY_LEVEL too. Rules naming specific levels are reported separately (see `overlaps`).
 */
export function representative(filter: string): string {
  return levels(filter)
    .map((w) => (w === '+' || w === '#' ? ANY_LEVEL : w))
    .join('/');
}

/** Two filters share at least one topic; `dollarApart`: Mosquitto's rule that wildcards never reach `$` topics. */
export function overlaps(a: string, b: string, dollarApart = true): boolean {
  if (dollarApart && a.startsWith('$') !== b.startsWith('$')) return false;
  const x = levels(a);
  const y = levels(b);
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '#' || q === '#') return true;
    if (p === undefined || q === undefined) return p === q;
    if (p !== '+' && q !== '+' && p !== q) return false;
  }
}
