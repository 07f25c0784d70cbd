/**
 * The check engine, one for every command that judges (audit, lint, passwd audit,
 * ports --check): collect the facts the selected checks need from the registered
 * providers (src/core/providers.ts), subject by subject, then judge every check
 * against every subject of its scope (pure), with an explicit reason for every
 * check that could not be judged. Checks that cannot apply to a subject (TLS checks
 * on a plaintext endpoint, EMQX checks where no EMQX is) are counted, not listed.
 */
import type { Policy } from '../config/policy.js';
import { verdictList, type Check, type JudgeContext } from './check.js';
import type { FactMap, FactTypes } from './facts.js';
import { mapLimit, mapLimitGrouped } from './collect.js';
import { collectFacts, externalReads, factsFor } from './providers.js';
import { collectSystemFacts, SYSTEM_FACT_KEYS, type SystemAuditOptions, type SystemFacts } from '../collectors/system/index.js';
import type { CheckResult, Endpoint, FactKey, Location, Report, Scope, Severity } from './types.js';
import { isLoopback } from '../collectors/ports.js';
import type { Credentials } from '../collectors/mqtt/probe.js';
import type { IntrusiveLimits } from '../collectors/mqtt/intrusive.js';
import type { TransportOptions } from '../collectors/mqtt/channel.js';
import { ENDPOINT_PROVIDERS, endpointSubject, type TlsAuditSettings } from '../collectors/endpoint.js';
import { HOST_PROVIDERS, SCHEME_FOR_SERVICE, type HostSubject } from '../collectors/host.js';
import { formatHost, makeEndpoint } from './targets.js';
import { reportClock } from './report.js';
import { fingerprintOf } from './fingerprint.js';
import { DRILL_PROVIDERS, type DrillSubject } from '../drill/provider.js';

export { DEFAULT_TLS_AUDIT, type TlsAuditSettings } from '../collectors/endpoint.js';

export interface AuditOptions {
  /** Endpoints given by the operator; empty = audit this host's standard ports on loopback. */
  endpoints: Endpoint[];
  /** Ports to scan on every audited host; empty disables the port scan. */
  scanPorts: number[];
  /** Host scanned (and whose MQTT ports are probed) when no endpoint is given. */
  defaultHost: string;
  network: boolean;
  host: boolean;
  credentials?: Credentials;
  /** Credentials that belong to one endpoint only (given in its URL); they win over `credentials`. */
  endpointCredentials?: Record<string, Credentials>;
  intrusive: boolean;
  limits: IntrusiveLimits;
  wordlist: Credentials[];
  timeoutMs: number;
  targetTimeoutMs: number;
  windowMs: number;
  concurrency: number;
  showPayloads: boolean;
  showSecrets: boolean;
  canaryTopic?: string;
  failOn: Severity | 'none';
  tls: Pick<TransportOptions, 'ca' | 'cert' | 'key'>;
  /** The TLS audit of mqtts:// and wss:// endpoints (defaults: DEFAULT_TLS_AUDIT). */
  tlsAudit?: Partial<TlsAuditSettings>;
  /** Erlang distribution ports to probe besides 4370–4373 and those epmd names (from a port plan). */
  distPorts?: number[];
  /**
   * Which of the products' default management ports (18083, 18084, 8081, 9883) the
   * management probes ask on every host (default: all); open ports of the scan and
   * configured ones are asked on top (docs/management-probes.md).
   */
  mgmtPorts?: readonly number[];
  /** Check IDs turned off (project file). */
  disabled?: readonly string[];
  /** The security policy of the endpoint checks (the host checks take `system.policy`); default: DEFAULT_POLICY. */
  policy?: Policy;
  /** Host checks of the machine (this host, or an offline root): given when `host` is true. */
  system?: Omit<SystemAuditOptions, 'onProgress'>;
  onProgress?: (message: string) => void;
  /** Called once per endpoint when its probes are done and judged: how many of how many. */
  onTarget?: (done: number, total: number) => void;
}

/** Endpoints of one host probed at once at most: one broker (or machine) is not loaded by the whole fleet's concurrency. */
export const PER_HOST_CONCURRENCY = 64;


function withFingerprint(r: Omit<CheckResult, 'fingerprint'>, key?: string): CheckResult {
  return { ...r, fingerprint: fingerprintOf({ ...r, key }) };
}

function gate(check: Check, facts: FactMap, intrusive: boolean): { facts: Partial<FactTypes> } | { status: 'SKIP' | 'ERROR'; message: string } {
  if (check.meta.intrusive && !intrusive) return { status: 'SKIP', message: 'intrusive check: run with --intrusive to enable it' };
  const picked: Partial<FactTypes> = {};
  for (const key of check.meta.needs) {
    const f = facts[key];
    if (!f) return { status: 'SKIP', message: `not collected: ${key}` };
    if (f.state === 'skipped') return { status: 'SKIP', message: f.reason };
    if (f.state === 'error') return { status: 'ERROR', message: f.error };
    (picked as Record<string, unknown>)[key] = f.value;
  }
  for (const key of check.meta.uses ?? []) {
    const f = facts[key];
    if (f?.state === 'ok') (picked as Record<string, unknown>)[key] = f.value;
  }
  return { facts: picked };
}

/**
 * Judge one check against one subject's facts: SKIP/ERROR when a needed fact is
 * missing, skipped or broken, else the judge's verdicts (internal errors become ERROR).
 */
export function judgeOne(check: Check, facts: FactMap, ctx: JudgeContext, intrusive: boolean, location?: Location): CheckResult[] {
  const base = {
    checkId: check.meta.id,
    name: check.meta.name,
    title: check.meta.title,
    strategy: check.meta.strategy,
    subject: ctx.subject,
    location: location ?? { uri: ctx.subject.includes('://') ? ctx.subject : `tcp://${formatHost(ctx.subject)}`, kind: 'target' as const },
    remediation: check.meta.remediation,
    references: check.meta.references,
    intrusive: check.meta.intrusive,
  };
  const g = gate(check, facts, intrusive);
  if ('status' in g) return [withFingerprint({ ...base, severity: check.meta.severity, status: g.status, message: g.message, evidence: {} })];
  try {
    const verdicts = verdictList(check.judge(g.facts as FactTypes, ctx));
    if (!verdicts.length) throw new Error('the judge returned no verdict');
    // A PASS on input that was only partly read is not a PASS: what was not read may hold the weakness.
    const partial = check.meta.needs.map((k) => facts[k]).find((f) => f?.state === 'ok' && f.partial);
    const why = partial?.state === 'ok' ? partial.partial : undefined;
    return verdicts.map((v) =>
      withFingerprint(
        {
          ...base,
          ...(v.location && { location: { uri: v.location.file, kind: 'file' as const, line: v.location.line, column: v.location.column } }),
          severity: v.status === 'FAIL' && v.severity ? v.severity : check.meta.severity,
          status: why && v.status === 'PASS' ? 'SKIP' : v.status,
          message: why && v.status === 'PASS' ? `not judged in full: ${why}; what was read passes (${v.message})` : v.message,
          evidence: v.evidence ?? {},
        },
        v.key,
      ),
    );
  } catch (e) {
    return [withFingerprint({ ...base, severity: check.meta.severity, status: 'ERROR', message: `internal error in check: ${(e as Error).message}`, evidence: {} })];
  }
}



/** Which checks a command runs: chosen by their meta, never by ID lists. */
export interface CheckSelection {
  /** Only checks of these scopes. */
  scopes?: readonly Scope[];
  /** Every fact a check needs must be one of these. */
  within?: readonly FactKey[];
  /** The check must need this fact. */
  requires?: FactKey;
  /** Checks turned off (project file). */
  disabled?: readonly string[];
}

export function selectChecks(catalogue: readonly Check[], sel: CheckSelection): Check[] {
  return catalogue.filter(
    (c) =>
      (!sel.scopes || sel.scopes.includes(c.meta.scope)) &&
      (!sel.within || c.meta.needs.every((n) => sel.within!.includes(n))) &&
      (!sel.requires || c.meta.needs.includes(sel.requires)) &&
      !sel.disabled?.includes(c.meta.id),
  );
}

/** What one run judges. */
export interface RunRequest {
  command: Report['command'];
  checks: readonly Check[];
  /** Network subjects (endpoints and the hosts they are on): audit only. */
  network?: AuditOptions;
  /** The audited system: this host, an offline root, or the files given to lint/passwd. */
  system?: SystemAuditOptions;
  /** One drill run (`drill run`): its journal is the subject of the drill-scope checks. */
  drill?: DrillSubject;
  options: Report['options'];
  /** Check IDs turned off (project file): never collected for, never judged. */
  disabled?: readonly string[];
  /** Notes known before the run (e.g. from option handling). */
  notes?: string[];
  onProgress?: (message: string) => void;
}

/** The verdicts of one subject, per check of the run (by index): its results, or why the check does not apply. */
interface Judged {
  results: (CheckResult[] | undefined)[];
  notApplicable: (string | undefined)[];
}

interface Subject {
  scope: Scope;
  ctx: JudgeContext;
  /** The facts, until judged: a subject judged as soon as it was collected keeps only its verdicts. */
  facts?: FactMap;
  judged?: Judged;
  location?: Location;
}

/** Judge every check of the subject's scope against its facts. */
function judgeSubject(checks: readonly Check[], s: { scope: Scope; ctx: JudgeContext; facts: FactMap; location?: Location }, intrusive: boolean): Judged {
  const judged: Judged = { results: new Array(checks.length), notApplicable: new Array(checks.length) };
  checks.forEach((check, i) => {
    if (s.scope !== check.meta.scope) return;
    const why = notApplicable(check, s.facts);
    if (why) judged.notApplicable[i] = why;
    else judged.results[i] = judgeOne(check, s.facts, s.ctx, intrusive, s.location);
  });
  return judged;
}

/** Network subjects: hosts (port scan, Erlang), their endpoints (MQTT probe, TLS, intrusive), then the derived host facts. */
async function networkSubjects(
  opts: AuditOptions,
  wanted: ReadonlySet<FactKey>,
  notes: string[],
  judge: (s: { scope: Scope; ctx: JudgeContext; facts: FactMap }) => Judged,
  thisMachine?: (keys: ReadonlySet<FactKey>) => Promise<FactMap>,
): Promise<{ subjects: Subject[]; targets: Report['targets'] }> {
  const hosts = opts.endpoints.length ? [...new Set(opts.endpoints.map((e) => e.host))] : [opts.defaultHost];
  const hostWanted = new Set([...wanted].filter((k) => k !== 'mqtt.endpoints'));
  // Without explicit endpoints the port scan finds them.
  if (!opts.endpoints.length) hostWanted.add('net.ports');
  // Facts of this machine a host provider reads (the broker sockets the management probes add): given when the run has them.
  const foreign = new Set([...externalReads(HOST_PROVIDERS, hostWanted)].filter((k) => SYSTEM_FACT_KEYS.includes(k)));
  const base = foreign.size && thisMachine ? await thisMachine(foreign) : {};
  const hostFacts = await mapLimit(hosts, opts.concurrency, async (host) => {
    const subject: HostSubject = { host, opts };
    return { subject, facts: await collectFacts(HOST_PROVIDERS, subject, hostWanted, { notes, base }) };
  });
  let endpoints: Endpoint[] = opts.endpoints;
  if (!endpoints.length) {
    const scan = hostFacts[0]?.facts['net.ports'];
    endpoints =
      scan?.state === 'ok'
        ? scan.value.ports.flatMap((p) => {
            const scheme = p.state === 'open' ? SCHEME_FOR_SERVICE[p.service] : undefined;
            return scheme ? [makeEndpoint(scheme, opts.defaultHost, p.port, false)] : [];
          })
        : [];
    if (!endpoints.length) notes.push(`No MQTT listener answered on ${opts.defaultHost} (ports ${opts.scanPorts.join(', ')}): nothing to probe over MQTT.`);
  }
  const endpointWanted = new Set(wanted);
  if (wanted.has('mqtt.endpoints')) endpointWanted.add('mqtt.probe');
  // Each endpoint is judged as soon as its probes are done, and its facts dropped: only the
  // verdicts (and the MQTT probe, which the host's mqtt.endpoints reads) are kept until the report.
  let done = 0;
  const endpointFacts = await mapLimitGrouped(endpoints, opts.concurrency, PER_HOST_CONCURRENCY, (ep) => ep.host, async (ep) => {
    const facts = await collectFacts(ENDPOINT_PROVIDERS, endpointSubject(ep, opts), endpointWanted, { notes });
    const ctx = { subject: ep.uri, host: ep.host, loopback: isLoopback(ep.host) };
    const judged = judge({ scope: 'endpoint', ctx, facts });
    opts.onTarget?.(++done, endpoints.length);
    return { endpoint: ep, ctx, judged, probe: wanted.has('mqtt.endpoints') ? facts['mqtt.probe'] : undefined };
  });
  if (wanted.has('mqtt.endpoints')) {
    for (const h of hostFacts) {
      h.subject.probes = endpointFacts.filter((e) => e.endpoint.host === h.subject.host).map((e) => ({ endpoint: e.endpoint, probe: e.probe! }));
      h.facts = await collectFacts(HOST_PROVIDERS, h.subject, new Set<FactKey>(['mqtt.endpoints']), { base: h.facts, notes });
      h.subject.probes = undefined;
    }
  }
  return {
    subjects: [
      ...hostFacts.map(({ subject: { host }, facts }) => ({ scope: 'host' as const, ctx: { subject: host, host, loopback: isLoopback(host) }, facts })),
      ...endpointFacts.map(({ ctx, judged }) => ({ scope: 'endpoint' as const, ctx, judged })),
    ],
    targets: [
      // Without explicit targets the audited thing is the host itself (its standard ports).
      ...(!opts.endpoints.length ? [{ uri: `tcp://${formatHost(opts.defaultHost)}`, explicit: false }] : []),
      ...endpointFacts.map(({ endpoint }) => ({ uri: endpoint.uri, explicit: endpoint.explicit })),
    ],
  };
}

/** The reason a check cannot apply to a subject, or undefined when it can be judged (or must say why not). */
function notApplicable(check: Check, facts: FactMap): string | undefined {
  for (const key of check.meta.needs) {
    const f = facts[key];
    if (f?.state === 'skipped' && f.notApplicable) return f.reason;
  }
  return undefined;
}

/**
 * Collect and judge: the one path of every command that judges. The facts collected
 * are exactly those the selected checks read; the report counts (and notes) the
 * check × subject pairs that do not apply instead of listing them.
 */
export async function runChecks(request: RunRequest): Promise<Report> {
  const finish = reportClock(request.command);
  const req = request.disabled?.length ? { ...request, checks: request.checks.filter((c) => !request.disabled!.includes(c.meta.id)) } : request;
  const notes = [...(req.notes ?? [])];
  const wanted = factsFor(req.checks);
  const subjects: Subject[] = [];
  let targets: Report['targets'] = [];
  const scopes = new Set(req.checks.map((c) => c.meta.scope));
  // The facts of the live machine some host providers read, collected once and reused by the host checks' collection.
  let machine: Promise<SystemFacts> | undefined;
  const system = req.system;
  const thisMachine =
    system && !system.inputs && system.root === '/'
      ? (keys: ReadonlySet<FactKey>) =>
          (machine ??= collectSystemFacts({ ...system, onProgress: undefined }, keys).catch((e: unknown) => ({
            name: '',
            facts: {},
            notes: [`This machine's ${[...keys].join(', ')} could not be read for the host probes: ${e instanceof Error ? e.message : String(e)}`],
          }))).then((m) => m.facts)
      : undefined;
  if (req.network && (scopes.has('endpoint') || scopes.has('host'))) {
    const n = await networkSubjects(
      { ...req.network, ...(req.onProgress && { onProgress: req.onProgress }) },
      wanted,
      notes,
      (s) => judgeSubject(req.checks, s, req.options.intrusive),
      thisMachine,
    );
    subjects.push(...n.subjects);
    targets = n.targets;
  } else if (req.command === 'audit') {
    notes.push('Network probes disabled (--host-only).');
  }
  // What reading this machine's facts for the host probes noted (unreadable socket tables...).
  const early = machine && (await machine);
  for (const n of early?.notes ?? []) if (!notes.includes(n)) notes.push(n);
  if (req.system && scopes.has('system')) {
    const sysWanted = new Set([...wanted].filter((k) => SYSTEM_FACT_KEYS.includes(k)));
    const sys = await collectSystemFacts({ ...req.system, ...(req.onProgress && { onProgress: req.onProgress }) }, sysWanted, early ? { base: early.facts } : {});
    notes.push(...sys.notes);
    const files = req.system.inputs;
    subjects.push({
      scope: 'system',
      ctx: { subject: sys.name, host: sys.name, loopback: false },
      facts: sys.facts,
      // Lint: a verdict without a place (a PASS) is about the linted files as a whole.
      ...(files && { location: { uri: sys.name, kind: 'file' as const } }),
    });
    // The audited system is a target of its own: the linted files, or this host / the offline root.
    if (files) targets.push(...files.files.map((i) => ({ uri: i.path, explicit: true })));
    else targets.push({ uri: sys.name, explicit: Boolean(req.system.root !== '/') });
  }

  if (req.drill && scopes.has('drill')) {
    const facts = await collectFacts(DRILL_PROVIDERS, req.drill, wanted, { notes });
    const t = req.drill.target;
    // The subject is the target with the drill as its fragment (mqtt://broker:1883#brute-force-burst): two drills
    // against one broker are two subjects, with their own fingerprints and their own history scopes.
    const subject = `${t.url.replace(/#.*$/, '')}#${req.drill.loaded.drill.id}`;
    subjects.push({ scope: 'drill', ctx: { subject, host: t.host, loopback: t.loopback }, facts });
    targets.push({ uri: subject, explicit: true });
  }

  // Judge: pure, every check against every subject of its scope.
  const results: CheckResult[] = [];
  const inapplicable = new Map<string, { pairs: number; checks: Set<string> }>();
  req.checks.forEach((check, i) => {
    for (const s of subjects) {
      if (s.scope !== check.meta.scope) continue;
      const why = s.judged ? s.judged.notApplicable[i] : notApplicable(check, s.facts!);
      if (why) {
        const e = inapplicable.get(why) ?? { pairs: 0, checks: new Set<string>() };
        e.pairs++;
        e.checks.add(check.meta.id);
        inapplicable.set(why, e);
        continue;
      }
      const judged = s.judged ? s.judged.results[i] : judgeOne(check, s.facts!, s.ctx, req.options.intrusive, s.location);
      for (const r of judged ?? []) results.push(r);
    }
  });
  let pairs = 0;
  for (const [why, e] of inapplicable) {
    pairs += e.pairs;
    notes.push(`${e.checks.size} check(s) not applicable${e.pairs > e.checks.size ? ` (${e.pairs} check × subject pairs)` : ''}: ${why}.`);
  }
  return finish({ options: req.options, targets, notes, results }, pairs);
}

/** The audit: network probes and/or the host checks, with the whole catalogue (or the given checks). */
export async function runAudit(opts: AuditOptions, catalogue: readonly Check[]): Promise<Report> {
  return runChecks({
    command: 'audit',
    checks: catalogue.filter((c) => c.meta.scope !== 'drill' && (c.meta.scope === 'system' ? opts.host : opts.network)),
    ...(opts.disabled && { disabled: opts.disabled }),
    ...(opts.network && { network: opts }),
    ...(opts.host && opts.system && { system: opts.system }),
    options: {
      intrusive: opts.intrusive,
      host: opts.host,
      network: opts.network,
      failOn: opts.failOn,
      identity: opts.credentials?.username ?? (opts.tls.cert ? 'client certificate' : 'anonymous'),
    },
    ...(opts.onProgress && { onProgress: opts.onProgress }),
  });
}
