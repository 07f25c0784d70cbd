/**
 * The ACL model: who asks (an identity), what for (an action on a topic), and the answer of one
 * broker's rules: the decision, the rule that decided it (file:line) or the default, and the chain
 * of rules considered on the way.
 */
import type { SourceLoc } from '../config/io.js';

/**
 * - read: receive a message published on a topic (Mosquitto checks it at delivery; EMQX has no
 *   delivery check, so read is its SUBSCRIBE permission on that topic);
 * - write: publish to a topic;
 * - subscribe: the SUBSCRIBE packet for a filter (what the SUBACK says).
 */
export const ACL_ACTIONS = ['read', 'write', 'subscribe'] as const;
export type AclAction = (typeof ACL_ACTIONS)[number];

export interface Identity {
  /** Absent: an anonymous client (no username in CONNECT). */
  username?: string;
  /** The client id; absent: the evaluator's neutral id (matches no %c / ${clientid} rule by accident). */
  clientId?: string;
  /** Peer address, for EMQX `{ipaddr, CIDR}` rules. */
  ip?: string;
}

/** A client id that names nothing: used when a question gives none. */
export const NEUTRAL_CLIENT_ID = 'mqtt-warden-client';

export function identityText(id: Identity): string {
  const who = id.username === undefined ? 'anonymous' : `user "${id.username}"`;
  return `${who}${id.clientId !== undefined ? ` (client id "${id.clientId}")` : ''}${id.ip ? ` from ${id.ip}` : ''}`;
}

/** One rule of a rule source, as written. */
export interface RuleRef {
  /** The source: "mosquitto acl_file", "emqx acl.conf", "dynamic security". */
  source: string;
  loc: SourceLoc;
  /** The rule as written (one line or term). */
  text: string;
  /** The topic filters the rule names, as written (placeholders kept). */
  topics: string[];
}

export type Outcome =
  /** Matched and decided. */
  | 'allow'
  | 'deny'
  /** Matched the topic, but grants another access (a `read` rule for a write): the search goes on. */
  | 'other-access'
  /** Not for this identity, action or topic. */
  | 'no-match';

export interface Considered {
  rule: RuleRef;
  outcome: Outcome;
  /** Why, in words ("topic does not match", "for user alice", "%u without a username"). */
  why: string;
}

export interface Decision {
  allowed: boolean;
  /** The deciding rule; absent when a default decided. */
  rule?: RuleRef;
  /** What decided when no rule did: "no rule matched → no_match = deny". */
  fallback?: string;
  /** The rules looked at, in the broker's evaluation order, up to the deciding one. */
  chain: Considered[];
  /** The identity cannot connect at all (the fallback says why). */
  cannotConnect?: true;
  /** Facts the answer depends on (e.g. "Mosquitto 2.0 does not check SUBSCRIBE against acl_file"). */
  notes: string[];
}

/** One broker's authorization rules, evaluated as that broker does. */
export interface AclEvaluator {
  /** "mosquitto acl_file /etc/mosquitto/acl", "emqx acl.conf …", "dynamic security …". */
  readonly name: string;
  /** False when the rules' %u/%c are literal levels (dynamic security in 2.0): nothing to fill in per identity. */
  readonly fillsPlaceholders?: false;
  /** The identities the rules name (usernames, client ids), for who-can and the matrix. */
  identities(): Identity[];
  /** Client ids that would make a %c / ${clientid} rule match this topic (for who-can). */
  clientIdsFor(topic: string): string[];
  evaluate(id: Identity, action: AclAction, topic: string): Decision;
  /** Every rule, in file order (for the checks and the matrix legend). */
  rules(): RuleRef[];
}

export function ruleWhere(r: RuleRef): string {
  return `${r.loc.file}:${r.loc.line}`;
}

/** "decided by /etc/mosquitto/acl:7 (topic read plant/#)" or the fallback. */
export function decidedBy(d: Decision): string {
  return d.rule ? `${ruleWhere(d.rule)} (${d.rule.text})` : (d.fallback ?? 'no rule');
}
