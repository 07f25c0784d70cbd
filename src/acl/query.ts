/**
 * The questions `acl` answers, over one or more evaluators: can this identity do this, who can
 * do this, and the identity × topic matrix.
 */
import { hasWildcard, representative } from './topic.js';
import { identityText, type AclAction, type AclEvaluator, type Decision, type Identity } from './model.js';

export interface Answer {
  source: string;
  identity: Identity;
  /** "user alice", "anonymous", "any client whose id is 7". */
  who: string;
  action: AclAction;
  /** The topic asked about. */
  topic: string;
  /** The topic evaluated: the asked one, or a representative of a wildcard filter for read/write. */
  evaluated: string;
  decision: Decision;
}

/** Read and write are about messages on topics: a filter is evaluated on a topic standing for all of it. */
export function evaluatedTopic(action: AclAction, topic: string): string {
  return action !== 'subscribe' && hasWildcard(topic) ? representative(topic) : topic;
}

export function can(evaluators: readonly AclEvaluator[], id: Identity, action: AclAction, topic: string): Answer[] {
  const t = evaluatedTopic(action, topic);
  return evaluators.map((e) => {
    const decision = e.evaluate(id, action, t);
    if (t !== topic) decision.notes.push(`"${topic}" is a filter: evaluated on ${t}, a topic no rule names; rules for specific levels are not reflected`);
    return { source: e.name, identity: id, who: identityText(id), action, topic, evaluated: t, decision };
  });
}

/** Any user the files do not name. */
export const OTHER_USER = 'mqtt-warden-other-user';

/**
 * Every identity the files know, anonymous, and any other user; each also with the client ids
 * that would make a %c / ${clientid} rule match the topic. Returns every answer (allowed or not).
 */
export function whoCan(evaluators: readonly AclEvaluator[], action: AclAction, topic: string): Answer[] {
  const t = evaluatedTopic(action, topic);
  const out: Answer[] = [];
  for (const e of evaluators) {
    const base = [...e.identities(), { username: OTHER_USER }];
    const seen = new Set<string>();
    const ids: { id: Identity; who: string }[] = [];
    const add = (id: Identity, who: string) => {
      const k = JSON.stringify([id.username ?? null, id.clientId ?? null]);
      if (seen.has(k)) return;
      seen.add(k);
      ids.push({ id, who });
    };
    for (const id of base) add(id, id.username === OTHER_USER ? 'any other user' : identityText(id));
    for (const cid of e.clientIdsFor(t)) {
      for (const id of base) if (id.clientId === undefined) add({ ...id, clientId: cid }, `${id.username === OTHER_USER ? 'any other user' : identityText({ ...(id.username !== undefined ? { username: id.username } : {}) })} with client id "${cid}"`);
    }
    for (const { id, who } of ids) {
      const decision = e.evaluate(id, action, t);
      if (t !== topic) decision.notes.push(`"${topic}" is a filter: evaluated on ${t}`);
      out.push({ source: e.name, identity: id, who, action, topic, evaluated: t, decision });
    }
  }
  return out;
}

export interface MatrixCell {
  read: Decision;
  write: Decision;
  subscribe: Decision;
}

export interface Matrix {
  source: string;
  topics: string[];
  rows: { who: string; identity: Identity; cells: MatrixCell[] }[];
}

/** Topic filters for the matrix: the ones given, else the filters the rules name. */
export function ruleTopics(e: AclEvaluator): string[] {
  const out = new Set<string>();
  for (const r of e.rules()) for (const t of r.topics) out.add(t);
  return [...out];
}

/** Placeholders of a filter filled in for one identity (Mosquitto %u/%c, EMQX ${username}/${clientid}). */
export function forIdentity(topic: string, id: Identity): string | undefined {
  if (id.username === undefined && /%u|\$\{username\}/.test(topic)) return undefined;
  const cid = id.clientId ?? 'mqtt-warden-client';
  return topic.replaceAll('%u', id.username ?? '').replaceAll('${username}', id.username ?? '').replaceAll('%c', cid).replaceAll('${clientid}', cid);
}

export function matrix(evaluators: readonly AclEvaluator[], topics?: readonly string[]): Matrix[] {
  return evaluators.map((e) => {
    const ts = topics?.length ? [...topics] : ruleTopics(e);
    const ids = [...e.identities(), { username: OTHER_USER }];
    return {
      source: e.name,
      topics: ts,
      rows: ids.map((id) => ({
        who: id.username === OTHER_USER ? 'any other user' : identityText(id),
        identity: id,
        cells: ts.map((t) => {
          const concrete = e.fillsPlaceholders === false ? t : forIdentity(t, id);
          const none: Decision = { allowed: false, fallback: `${t} needs a username`, chain: [], notes: [] };
          if (concrete === undefined) return { read: none, write: none, subscribe: none };
          return { read: e.evaluate(id, 'read', evaluatedTopic('read', concrete)), write: e.evaluate(id, 'write', evaluatedTopic('write', concrete)), subscribe: e.evaluate(id, 'subscribe', concrete) };
        }),
      })),
    };
  });
}
