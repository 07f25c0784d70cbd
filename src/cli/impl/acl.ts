/**
 * `mqtt-warden acl can|who-can|matrix|verify`: loads the ACL sources (src/acl/load.ts), asks the
 * evaluators, renders the answers (terminal or JSON). Only `verify` touches the network.
 */
import picocolors from 'picocolors';
import { z } from 'zod';
import { loadAclSetup, AclInputError, type AclLoadOptions, type AclSetup } from '../../acl/load.js';
import { ruleWhere, type AclAction, type Decision, type Identity } from '../../acl/model.js';
import { can, forIdentity, matrix, ruleTopics, whoCan, type Answer } from '../../acl/query.js';
import { ANY_LEVEL, hasWildcard, representative, validFilter } from '../../acl/topic.js';
import { MAX_IDENTITIES, MAX_TOPICS, verifyAcl, type VerifyIdentity, type VerifyResult } from '../../acl/verify.js';
import { formatIssues, locateIssues, parseLocatedYaml } from '../../config/located-yaml.js';
import { parseTarget, redactSecrets, TargetError } from '../../core/targets.js';
import { readText, UsageError } from '../common.js';
import { useColor } from '../options.js';
import { writeOutput } from '../write.js';
import type { AclCanFlags, AclInputFlags, AclMatrixFlags, AclVerifyFlags } from '../acl.js';

/** Test hook: a decision changer handed to every evaluator (set only by tests, to prove verify catches model bugs). */
let tamperHook: AclLoadOptions['tamper'];
export function setAclTamperForTests(t: AclLoadOptions['tamper']): void {
  tamperHook = t;
}

function setup(flags: AclInputFlags): AclSetup {
  try {
    return loadAclSetup(
      { configs: flags.config, mosquittoConf: flags.mosquittoConf, aclFile: flags.aclFile, emqxConf: flags.emqxConf, emqxAcl: flags.emqxAcl, dynsec: flags.dynsec },
      { ...(flags.emqxVersion ? { emqxVersion: flags.emqxVersion } : {}), ...(flags.securityProfile ? { profile: flags.securityProfile } : {}), ...(tamperHook ? { tamper: tamperHook } : {}) },
    );
  } catch (e) {
    if (e instanceof AclInputError) throw new UsageError(e.message);
    throw e;
  }
}

function checkTopic(topic: string): void {
  if (!validFilter(topic)) throw new UsageError(`"${topic}" is not a valid MQTT topic or filter (wildcards + and # only as whole levels, # last)`);
}

const decisionJson = (d: Decision) => ({
  allowed: d.allowed,
  decidedBy: d.rule ? { file: d.rule.loc.file, line: d.rule.loc.line, rule: d.rule.text, source: d.rule.source } : null,
  ...(d.fallback ? { fallback: d.fallback } : {}),
  ...(d.cannotConnect ? { cannotConnect: true } : {}),
  chain: d.chain.map((c) => ({ file: c.rule.loc.file, line: c.rule.loc.line, rule: c.rule.text, outcome: c.outcome, why: c.why })),
  notes: d.notes,
});

const identityJson = (id: Identity) => ({ username: id.username ?? null, ...(id.clientId !== undefined ? { clientId: id.clientId } : {}), ...(id.ip ? { ip: id.ip } : {}) });

function colors(flags: AclInputFlags) {
  return picocolors.createColors(useColor(flags));
}

function by(d: Decision): string {
  return d.rule ? `${ruleWhere(d.rule)}  ${d.rule.text}` : (d.fallback ?? 'no rule');
}

function chainLines(d: Decision, indent: string): string[] {
  if (!d.chain.length) return [`${indent}(no rule looked at)`];
  return d.chain.map((c) => `${indent}${ruleWhere(c.rule)}  ${c.rule.text}  → ${c.outcome}: ${c.why}`);
}

function setupNotes(s: AclSetup, flags: AclInputFlags): string[] {
  return flags.quiet ? [] : s.notes.map((n) => `note: ${n}`);
}

export function aclCan(user: string, act: AclAction, topic: string, flags: AclCanFlags): number {
  checkTopic(topic);
  const s = setup(flags);
  const id: Identity = { ...(user !== '-' ? { username: user } : {}), ...(flags.clientId !== undefined ? { clientId: flags.clientId } : {}), ...(flags.ip ? { ip: flags.ip } : {}) };
  const answers = can(s.evaluators, id, act, topic);
  if (flags.format === 'json') {
    writeOutput(JSON.stringify({ command: 'acl can', identity: identityJson(id), action: act, topic, answers: answers.map((a) => ({ source: a.source, evaluated: a.evaluated, ...decisionJson(a.decision) })), notes: s.notes }, null, 2), flags, 'answer');
    return 0;
  }
  const c = colors(flags);
  const out: string[] = [];
  for (const a of answers) {
    out.push(c.bold(a.source));
    out.push(`  ${a.who} ${act} ${topic}: ${a.decision.allowed ? c.green('ALLOWED') : c.red('DENIED')}`);
    out.push(`  decided by: ${by(a.decision)}`);
    for (const n of a.decision.notes) out.push(`  note: ${n}`);
    if (flags.verbose) out.push('  rules considered, in the broker\'s order:', ...chainLines(a.decision, '    '));
  }
  out.push(...setupNotes(s, flags));
  writeOutput(out.join('\n'), flags, 'answer');
  return 0;
}

export function aclWhoCan(act: AclAction, topic: string, flags: AclInputFlags): number {
  checkTopic(topic);
  const s = setup(flags);
  const answers = whoCan(s.evaluators, act, topic);
  if (flags.format === 'json') {
    writeOutput(
      JSON.stringify({ command: 'acl who-can', action: act, topic, answers: answers.map((a) => ({ source: a.source, who: a.who, identity: identityJson(a.identity), evaluated: a.evaluated, ...decisionJson(a.decision) })), notes: s.notes }, null, 2),
      flags,
      'answer',
    );
    return 0;
  }
  const c = colors(flags);
  const out: string[] = [];
  const sources = [...new Set(answers.map((a) => a.source))];
  for (const src of sources) {
    const mine = answers.filter((a) => a.source === src);
    const yes = mine.filter((a) => a.decision.allowed);
    out.push(c.bold(`${src}: ${act} ${topic}${mine[0] && mine[0].evaluated !== topic ? ` (evaluated on ${mine[0].evaluated})` : ''}`));
    if (!yes.length) out.push('  nobody');
    for (const a of yes) out.push(`  ${c.green('✓')} ${a.who}  via ${by(a.decision)}`);
    if (flags.verbose) for (const a of mine.filter((x) => !x.decision.allowed)) out.push(`  ${c.red('✗')} ${a.who}  ${by(a.decision)}`);
    else if (mine.length > yes.length) out.push(c.dim(`  (${mine.length - yes.length} other identities may not; -v lists them)`));
    const notes = [...new Set(mine.flatMap((a) => a.decision.notes))];
    for (const n of notes) out.push(`  note: ${n}`);
  }
  out.push(...setupNotes(s, flags));
  writeOutput(out.join('\n'), flags, 'answer');
  return 0;
}

/** Topic lines of a --topics file: one per line, # comments, each a valid filter (or topic, with `names`). */
function readTopics(file: string, names: boolean): string[] {
  const out: string[] = [];
  readText(file, 'topics file', 'settings')
    .split('\n')
    .forEach((raw, i) => {
      const t = raw.replace(/\r$/, '').trim();
      if (!t || t.startsWith('#')) return;
      if (!validFilter(t)) throw new UsageError(`${file}:${i + 1}: "${t}" is not a valid topic filter`);
      if (names && hasWildcard(t)) throw new UsageError(`${file}:${i + 1}: "${t}" has a wildcard: verify publishes on these topics, so each must be a plain topic`);
      out.push(t);
    });
  if (!out.length) throw new UsageError(`${file}: no topics`);
  return out;
}

export function aclMatrix(flags: AclMatrixFlags): number {
  const s = setup(flags);
  const topics = flags.topics ? readTopics(flags.topics, false) : undefined;
  const ms = matrix(s.evaluators, topics);
  const cell = (r: Decision, w: Decision) => (r.allowed && w.allowed ? 'RW' : r.allowed ? 'R' : w.allowed ? 'W' : '-');
  if (flags.format === 'json') {
    const json = ms.map((m) => ({
      source: m.source,
      topics: m.topics,
      rows: m.rows.map((r) => ({ who: r.who, identity: identityJson(r.identity), cells: r.cells.map((x, i) => ({ topic: m.topics[i], access: cell(x.read, x.write), read: decisionJson(x.read), write: decisionJson(x.write), subscribe: decisionJson(x.subscribe) })) })),
    }));
    writeOutput(JSON.stringify({ command: 'acl matrix', matrices: json, notes: s.notes }, null, 2), flags, 'matrix');
    return 0;
  }
  const c = colors(flags);
  const out: string[] = [];
  for (const m of ms) {
    out.push(c.bold(m.source));
    if (!m.topics.length) {
      out.push('  no topic filters');
      continue;
    }
    const whoW = Math.max(8, ...m.rows.map((r) => r.who.length));
    out.push('  topics:');
    m.topics.forEach((t, i) => out.push(`    [${i + 1}] ${t}`));
    out.push(`  ${'identity'.padEnd(whoW)}  ${m.topics.map((_, i) => `[${i + 1}]`.padEnd(4)).join(' ')}`);
    for (const r of m.rows) {
      const cells = r.cells.map((x) => {
        const v = cell(x.read, x.write);
        return (v === '-' ? c.dim(v) : c.yellow(v)) + ' '.repeat(Math.max(0, 4 - v.length));
      });
      out.push(`  ${r.who.padEnd(whoW)}  ${cells.join(' ')}`);
    }
    out.push(c.dim('  R read (receive), W write (publish); %u/%c and ${username}/${clientid} filled in per identity; wildcards stand for a level no rule names'));
  }
  out.push(...setupNotes(s, flags));
  writeOutput(out.join('\n'), flags, 'matrix');
  return 0;
}

const IdentitySchema = z
  .object({
    name: z.string().min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    clientId: z.string().min(1).max(23 * 10).optional(),
  })
  .strict()
  .refine((x) => !(x.password !== undefined && x.passwordEnv !== undefined), 'give password or passwordEnv, not both');
const IdentitiesSchema = z.array(IdentitySchema).min(1).max(MAX_IDENTITIES);

export function readIdentities(file: string): VerifyIdentity[] {
  const { yaml, issues } = parseLocatedYaml(readText(file, 'identities file', 'credentials'), file);
  if (!yaml) throw new UsageError(`invalid identities file:\n${formatIssues(issues)}`);
  const r = IdentitiesSchema.safeParse(yaml.data);
  if (!r.success) throw new UsageError(`invalid identities file:\n${formatIssues(locateIssues(yaml, r.error))}`);
  const out = r.data.map((x, i): VerifyIdentity => {
    let password = x.password;
    if (x.passwordEnv !== undefined) {
      password = process.env[x.passwordEnv];
      if (password === undefined) throw new UsageError(`${file}: identity ${i + 1}: the environment variable ${x.passwordEnv} is not set`);
    }
    return { name: x.name ?? x.username ?? `anonymous-${i + 1}`, ...(x.username !== undefined ? { username: x.username } : {}), ...(password !== undefined ? { password } : {}), clientId: x.clientId ?? `mqtt-warden-acl-${i + 1}` };
  });
  const dup = out.find((x, i) => out.findIndex((y) => y.clientId === x.clientId) !== i);
  if (dup) throw new UsageError(`${file}: two identities use client id "${dup.clientId}": the second connection would take over the first`);
  const dupName = out.find((x, i) => out.findIndex((y) => y.name === x.name) !== i);
  if (dupName) throw new UsageError(`${file}: two identities are named "${dupName.name}"`);
  return out;
}

/** Test topics from the rules: placeholders filled per identity, wildcards replaced by a level no rule names. */
export function deriveTopics(filters: readonly string[], ids: readonly VerifyIdentity[]): string[] {
  const out = new Set<string>();
  for (const f of filters) {
    if (f.startsWith('$share/')) continue;
    // No identities: the placeholders are literal levels (dynamic security).
    if (!ids.length && validFilter(f)) out.add(representative(f));
    for (const v of ids) {
      const t = forIdentity(f, { ...(v.username !== undefined ? { username: v.username } : {}), clientId: v.clientId });
      if (t !== undefined && validFilter(t)) out.add(representative(t));
    }
  }
  return [...out];
}

export async function aclVerify(url: string, flags: AclVerifyFlags): Promise<number> {
  if (!flags.intrusive) throw new UsageError('acl verify publishes canary messages on the test topics: add --intrusive to run it');
  let ep;
  try {
    const t = parseTarget(url, 'URL');
    if (t.username !== undefined || t.password !== undefined) throw new UsageError('acl verify takes credentials from --identities, not from the URL');
    ep = t.endpoint;
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw e;
  }
  const s = setup(flags);
  if (s.evaluators.length !== 1) throw new UsageError(`acl verify checks one broker's rules, and the input holds ${s.evaluators.length} sources (${s.evaluators.map((e) => e.name).join('; ')}): name one`);
  const evaluator = s.evaluators[0]!;
  const ids = readIdentities(flags.identities);
  let topics = flags.topics ? readTopics(flags.topics, true) : deriveTopics(ruleTopics(evaluator), evaluator.fillsPlaceholders === false ? [] : ids);
  const notes = [...s.notes];
  if (topics.length > MAX_TOPICS) {
    notes.push(`${topics.length} test topics derived; the first ${MAX_TOPICS} are tested (name them with --topics)`);
    topics = topics.slice(0, MAX_TOPICS);
  }
  if (!topics.length) throw new UsageError('no test topics: the rules name none; give --topics');
  let result: VerifyResult;
  try {
    result = await verifyAcl(ep, evaluator, ids, topics, { timeoutMs: flags.timeout, maxSeconds: flags.maxSeconds, settleMs: flags.settle });
  } catch (e) {
    throw new UsageError(`acl verify against ${ep.uri} failed: ${redactSecrets((e as Error).message)}`);
  }
  notes.push(...result.notes);
  if (flags.format === 'json') {
    writeOutput(JSON.stringify({ command: 'acl verify', target: ep.uri, source: evaluator.name, topics, anyLevel: ANY_LEVEL, observations: result.observations, disagreements: result.disagreements.length, untested: result.untested.length, notes }, null, 2), flags, 'verification');
  } else {
    const c = colors(flags);
    const out: string[] = [c.bold(`acl verify ${ep.uri}: ${evaluator.name}`), `  ${ids.length} identities × ${topics.length} topics × subscribe/write/read = ${result.observations.length} answers`];
    for (const d of result.disagreements) out.push(`  ${c.red('DISAGREE')} ${d.identity} ${d.action} ${d.topic}: predicted ${d.predicted ? 'allowed' : 'denied'} (${d.predictedBy}), broker ${d.observed ? 'allowed' : 'denied'} (${d.how})`);
    if (flags.verbose) {
      for (const o of result.observations.filter((x) => x.agrees)) out.push(`  ${c.green('agree')}    ${o.identity} ${o.action} ${o.topic}: ${o.observed ? 'allowed' : 'denied'} (${o.how}; ${o.predictedBy})`);
      for (const o of result.untested) out.push(`  ${c.dim('untested')} ${o.identity} ${o.action} ${o.topic}: ${o.how}`);
    }
    out.push(`  ${result.disagreements.length ? c.red(`${result.disagreements.length} disagreements`) : c.green('no disagreement')}, ${result.observations.length - result.disagreements.length - result.untested.length} agreements, ${result.untested.length} not observable`);
    if (!flags.quiet) for (const n of notes) out.push(`note: ${n}`);
    writeOutput(out.join('\n'), flags, 'verification');
  }
  return result.disagreements.length ? 1 : 0;
}

export type { Answer };
