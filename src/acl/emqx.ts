/**
 * EMQX file authorization (acl.conf) evaluated as emqx_authz does (emqx_authz.erl,
 * emqx_authz_rule.erl, emqx_topic.erl; read upstream, not copied):
 *
 * - Sources are tried in order; in a file source the rules are tried top to bottom and the first
 *   rule whose action, client condition and topic all match decides (allow or deny). No rule of a
 *   source matched → the next source; no source matched → `authorization.no_match` (default
 *   `allow` in 5.x, `deny` since 6.0).
 * - `{Perm, all}` is `{Perm, all, all, ["#"]}`. `{Perm, {security_profile, P}}` applies only under
 *   that security profile (`legacy` is the default before EMQX 7).
 * - Who: `all`, `{username|user, "x"}`, `{clientid|client, "x"}` (also `{re, "regex"}`), `{ipaddr, CIDR}`,
 *   `{ipaddrs, [CIDR…]}`, `{'and', [...]}`, `{'or', [...]}`. A username condition never matches an
 *   anonymous client.
 * - Topics: `{eq, T}` (or `"eq T"`) matches only that exact string, wildcards included; otherwise the
 *   rule topic is a filter and `${username}` / `${clientid}` are filled in first. A filter matches a
 *   requested filter word by word (`+` matches any word, also `+` or `#`), and `#` covers `$SYS` too.
 * - A rule with `${username}` for a client without one cannot be rendered: EMQX catches the error and
 *   treats the whole source as a backend failure (ignored under the legacy profile → next source).
 * - publish = write; subscribe = subscribe, and EMQX has no delivery check, so read = subscribe.
 */
import ipaddr from 'ipaddr.js';
import type { EmqxAcl, EmqxAclRule, Term } from '../config/emqx-acl.js';
import { termText } from '../config/emqx-acl.js';
import { emqxMatches } from './topic.js';
import { NEUTRAL_CLIENT_ID, type AclAction, type AclEvaluator, type Considered, type Decision, type Identity, type RuleRef } from './model.js';

export type EmqxMajor = 5 | 6;
export type NoMatch = 'allow' | 'deny';

export interface EmqxAclOptions {
  /** EMQX major version: decides the no_match default. */
  version: EmqxMajor;
  /** authorization.no_match as configured (with its place), else the version's default. */
  noMatch?: { value: NoMatch; where: string };
  /** The security profile (EMQX_SECURITY_PROFILE); legacy by default. */
  profile?: 'legacy' | 'hardened';
  /** Sources that are not files, in chain order with the file sources (their answers are unknown). */
  otherSources?: string[];
  /** Test hook, as in the Mosquitto evaluator. */
  tamper?: (d: Decision, id: Identity, action: AclAction, topic: string) => Decision;
}

const SOURCE = 'emqx acl.conf';

function ref(r: EmqxAclRule): RuleRef {
  return { source: SOURCE, loc: r.loc, text: termText(r.term), topics: r.catchAll ? ['#'] : (r.topics ?? []).map((t) => t.replace(/^eq /, '')) };
}

type Who = { all: true } | { username: Matcher } | { clientid: Matcher } | { cidrs: string[] } | { and: Who[] } | { or: Who[] };
type Matcher = { eq: string } | { re: RegExp; src: string };

function str(t: Term | undefined): string | undefined {
  return t && (t.t === 'string' || t.t === 'atom') ? t.v : undefined;
}

/** The client condition of a rule; undefined = not understood (the rule is then reported, never guessed). */
function compileWho(t: Term): Who | undefined {
  if (t.t === 'atom' && t.v === 'all') return { all: true };
  if (t.t !== 'tuple' || t.items[0]?.t !== 'atom') return undefined;
  const k = t.items[0].v;
  const v = t.items[1];
  const matcher = (): Matcher | undefined => {
    if (v?.t === 'string') return { eq: v.v };
    if (v?.t === 'tuple' && v.items[0]?.t === 'atom' && v.items[0].v === 're') {
      const src = str(v.items[1]);
      if (src === undefined) return undefined;
      try {
        return { re: new RegExp(src), src };
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  if (k === 'username' || k === 'user') {
    const m = matcher();
    return m && { username: m };
  }
  if (k === 'clientid' || k === 'client') {
    const m = matcher();
    return m && { clientid: m };
  }
  if (k === 'ipaddr' && v?.t === 'string') return { cidrs: [v.v] };
  if (k === 'ipaddrs' && v?.t === 'list' && v.items.every((x) => x.t === 'string')) return { cidrs: v.items.map((x) => (x as { v: string }).v) };
  if ((k === 'and' || k === 'or') && v?.t === 'list') {
    const parts = v.items.map(compileWho);
    if (parts.some((p) => !p)) return undefined;
    return k === 'and' ? { and: parts as Who[] } : { or: parts as Who[] };
  }
  return undefined;
}

/** An address inside a CIDR (or equal to a bare address), as esockd_cidr:match; ipaddr.js parses. */
export function cidrMatch(ip: string, cidr: string): boolean {
  try {
    const addr = ipaddr.process(ip);
    const [net, bits] = cidr.includes('/') ? ipaddr.parseCIDR(cidr) : ([ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128] as const);
    return addr.kind() === net.kind() && addr.match(net, bits);
  } catch {
    return false;
  }
}

function matchWho(id: Identity, clientId: string, w: Who): boolean {
  const m = (s: string | undefined, x: Matcher) => s !== undefined && ('eq' in x ? s === x.eq : x.re.test(s));
  if ('all' in w) return true;
  if ('username' in w) return m(id.username, w.username);
  if ('clientid' in w) return m(clientId, w.clientid);
  if ('cidrs' in w) return id.ip !== undefined && w.cidrs.some((c) => cidrMatch(id.ip!, c));
  if ('and' in w) return w.and.every((x) => matchWho(id, clientId, x));
  return w.or.some((x) => matchWho(id, clientId, x));
}

function whoNames(w: Who | undefined, out: { usernames: Set<string>; clientIds: Set<string> }) {
  if (!w) return;
  if ('username' in w && 'eq' in w.username) out.usernames.add(w.username.eq);
  if ('clientid' in w && 'eq' in w.clientid) out.clientIds.add(w.clientid.eq);
  if ('and' in w) w.and.forEach((x) => whoNames(x, out));
  if ('or' in w) w.or.forEach((x) => whoNames(x, out));
}

interface Compiled {
  rule: EmqxAclRule;
  who?: Who;
  /** publish | subscribe | all */
  action: string;
  /** A qos/retain condition the evaluation assumed QoS 0, not retained, for. */
  rich?: string;
  topics: ({ eq: string } | { filter: string })[];
  /** Applies only under this security profile. */
  profile?: string;
}

function compile(r: EmqxAclRule): Compiled {
  if (r.catchAll) return { rule: r, who: { all: true }, action: 'all', topics: [{ filter: '#' }], ...(r.securityProfile ? { profile: r.securityProfile } : {}) };
  const [, whoT, actT] = (r.term as Extract<Term, { t: 'tuple' }>).items;
  const action = r.action === 'pubsub' ? 'all' : r.action!;
  let rich: string | undefined;
  if (actT?.t === 'tuple' && actT.items[1]?.t === 'list') {
    const opts = actT.items[1].items.map(termText).join(', ');
    if (opts) rich = opts;
  }
  const topics = (r.topics ?? []).map((t) => (t.startsWith('eq ') ? { eq: t.slice(3) } : { filter: t }));
  const who = compileWho(whoT!);
  return { rule: r, ...(who ? { who } : {}), action, ...(rich ? { rich } : {}), topics };
}

/** Does a rich action condition ({publish, [{qos, …}, {retain, …}]}) admit QoS 0 and retain false? */
function richAdmits(c: Compiled): boolean {
  const t = (c.rule.term as Extract<Term, { t: 'tuple' }>).items[2];
  if (t?.t !== 'tuple' || t.items[1]?.t !== 'list') return true;
  const opts = t.items[1].items.filter((x): x is Extract<Term, { t: 'tuple' }> => x.t === 'tuple');
  const qos = opts.filter((o) => str(o.items[0]) === 'qos').flatMap((o) => (o.items[1]?.t === 'int' ? [o.items[1].v] : o.items[1]?.t === 'list' ? o.items[1].items.flatMap((i) => (i.t === 'int' ? [i.v] : [])) : []));
  const retain = opts.find((o) => str(o.items[0]) === 'retain')?.items[1];
  return (qos.length === 0 || qos.includes(0)) && (retain === undefined || str(retain) === 'all' || str(retain) === 'false');
}

export class EmqxAclEvaluator implements AclEvaluator {
  readonly name: string;
  private readonly compiled: Compiled[][];
  constructor(
    readonly files: readonly EmqxAcl[],
    readonly opts: EmqxAclOptions,
  ) {
    this.name = `${SOURCE} ${files.map((f) => f.file).join(', ')}`;
    this.compiled = files.map((f) => f.rules.map(compile));
  }

  noMatch(): { value: NoMatch; where: string } {
    return this.opts.noMatch ?? { value: this.opts.version >= 6 ? 'deny' : 'allow', where: `EMQX ${this.opts.version}.x default` };
  }

  rules(): RuleRef[] {
    return this.files.flatMap((f) => f.rules.map(ref));
  }

  identities(): Identity[] {
    const names = { usernames: new Set<string>(), clientIds: new Set<string>() };
    for (const c of this.compiled.flat()) whoNames(c.who, names);
    return [{}, ...[...names.usernames].map((username) => ({ username })), ...[...names.clientIds].map((clientId) => ({ username: 'mqtt-warden-other', clientId }))];
  }

  clientIdsFor(topic: string): string[] {
    const out = new Set<string>();
    const tl = topic.split('/');
    for (const c of this.compiled.flat()) {
      for (const t of c.topics) {
        if (!('filter' in t) || !t.filter.includes('${clientid}')) continue;
        t.filter.split('/').forEach((w, i) => {
          const id = tl[i];
          if (w === '${clientid}' && id !== undefined && !/[+#]/.test(id) && emqxMatches(t.filter.replaceAll('${clientid}', id).replaceAll('${username}', '+'), topic)) out.add(id);
        });
      }
    }
    return [...out];
  }

  evaluate(id: Identity, action: AclAction, topic: string): Decision {
    const d = this.decide(id, action, topic);
    return this.opts.tamper ? this.opts.tamper(d, id, action, topic) : d;
  }

  private decide(id: Identity, action: AclAction, topic: string): Decision {
    const clientId = id.clientId ?? NEUTRAL_CLIENT_ID;
    const kind = action === 'write' ? 'publish' : 'subscribe';
    const profile = this.opts.profile ?? 'legacy';
    const chain: Considered[] = [];
    const notes: string[] = [];
    if (action === 'read') notes.push('EMQX checks subscriptions, not deliveries: "read" is the SUBSCRIBE permission on this topic');
    for (const [i, rules] of this.compiled.entries()) {
      let failed: string | undefined;
      for (const c of rules) {
        const r = ref(c.rule);
        const no = (why: string) => chain.push({ rule: r, outcome: 'no-match', why });
        if (c.profile && c.profile !== profile) {
          no(`only under the ${c.profile} security profile (this is ${profile})`);
          continue;
        }
        if (c.action !== 'all' && c.action !== kind) {
          no(`for ${c.action}, not ${kind}`);
          continue;
        }
        if (c.rich && !richAdmits(c)) {
          no(`action condition ${c.rich} excludes QoS 0 non-retained (the case evaluated)`);
          continue;
        }
        if (!c.who) {
          no(`client condition not understood: ${termText((c.rule.term as Extract<Term, { t: 'tuple' }>).items[1]!)}`);
          notes.push(`${r.loc.file}:${r.loc.line}: a client condition mqtt-warden does not evaluate; the answer assumes it does not match`);
          continue;
        }
        if (!matchWho(id, clientId, c.who)) {
          no(`client condition ${c.rule.who} does not match`);
          continue;
        }
        let hit: string | undefined;
        for (const t of c.topics) {
          if ('eq' in t) {
            if (t.eq === topic) hit = `{eq, ${t.eq}}`;
          } else {
            if (t.filter.includes('${username}') && id.username === undefined) {
              failed = `${r.loc.file}:${r.loc.line} uses \${username} and the client has none: EMQX cannot render the rule and skips the source (a backend failure, ignored under the legacy profile)`;
              break;
            }
            const f = t.filter.replaceAll('${username}', id.username ?? '').replaceAll('${clientid}', clientId);
            if (emqxMatches(f, topic)) hit = f;
          }
          if (hit) break;
        }
        if (failed) {
          chain.push({ rule: r, outcome: 'no-match', why: failed });
          break;
        }
        if (!hit) {
          no(`no topic of the rule matches ${topic}`);
          continue;
        }
        if (c.rich) notes.push(`${r.loc.file}:${r.loc.line} has an action condition (${c.rich}); evaluated for QoS 0, not retained`);
        chain.push({ rule: r, outcome: c.rule.perm, why: `first matching rule (${kind}, ${c.rule.who}, ${hit})` });
        return { allowed: c.rule.perm === 'allow', rule: r, chain, notes };
      }
      if (failed) notes.push(failed);
      if (i < this.compiled.length - 1) continue;
    }
    if (this.opts.otherSources?.length) notes.push(`other authorization sources (${this.opts.otherSources.join(', ')}) are not evaluated: they may decide before no_match`);
    const nm = this.noMatch();
    return { allowed: nm.value === 'allow', fallback: `no rule matched → no_match = ${nm.value} (${nm.where})`, chain, notes };
  }
}
