/**
 * The audit engine: runs collectors (side effects, bounded by timeouts),
 * then judges every check of the catalogue against the facts (pure), with an
 * explicit reason for every check that could not be judged.
 */
import { verdictList, type Check, type JudgeContext } from './check.js';
import type { FactMap, FactTypes, MqttProbe } from './facts.js';
import { collect, mapLimit } from './collect.js';
import { collectSystemFacts, type SystemAuditOptions } from '../collectors/system/index.js';
import {
  type CheckResult,
  type Endpoint,
  type Fact,
  type Report,
  type Severity,
} from './types.js';
import { isLoopback, scanPorts } from '../collectors/ports.js';
import { probeEndpoint, type Credentials } from '../collectors/mqtt/probe.js';
import {
  BUILTIN_CREDENTIALS,
  guessCredentials,
  testLoginRestriction,
  testTakeover,
  type IntrusiveLimits,
  type TakeoverParty,
} from '../collectors/mqtt/intrusive.js';
import type { TransportOptions } from '../collectors/mqtt/channel.js';
import { collectTls } from '../collectors/tls/index.js';
import type { CrlInput } from '../collectors/tls/revocation.js';
import { formatHost, makeEndpoint } from './targets.js';
import { collectErlangExposure } from '../collectors/erlang.js';
import { reportClock } from './report.js';
import { fingerprintOf } from './fingerprint.js';

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
  /** Host checks of the machine (this host, or an offline root): given when `host` is true. */
  system?: Omit<SystemAuditOptions, 'onProgress'>;
  onProgress?: (message: string) => void;
}


export interface TlsAuditSettings {
  /** TLS handshakes in flight at most per target (cipher enumeration). */
  concurrency: number;
  /** Local CRL files (--crl), read by the CLI. */
  crlFiles: CrlInput[];
  /** Consult the CRL distribution points and OCSP responders the certificate names. */
  revocationOnline: boolean;
  /** Warn this many days before expiry, e.g. [30, 60]. */
  expiryWarnDays: number[];
}

export const DEFAULT_TLS_AUDIT: TlsAuditSettings = { concurrency: 4, crlFiles: [], revocationOnline: false, expiryWarnDays: [30, 60] };

const TLS_KEYS = ['tls.protocols', 'tls.ciphers', 'tls.certificate', 'tls.revocation', 'tls.clientAuth'] as const;

const SCHEME_FOR_SERVICE: Partial<Record<string, Endpoint['scheme']>> = {
  mqtt: 'mqtt',
  mqtts: 'mqtts',
  'mqtt-ws': 'ws',
  'mqtt-wss': 'wss',
};

async function collectEndpoint(ep: Endpoint, opts: AuditOptions): Promise<FactMap> {
  const facts: FactMap = {};
  const intrusiveBudgetMs = opts.intrusive ? 3 * (opts.limits.maxSeconds * 1000 + opts.timeoutMs) : 0;
  const signal = AbortSignal.timeout(opts.targetTimeoutMs + intrusiveBudgetMs);
  const transport: TransportOptions = { timeoutMs: opts.timeoutMs, signal, ...opts.tls };
  const credentials = opts.endpointCredentials?.[ep.uri] ?? opts.credentials;
  opts.onProgress?.(`probing ${ep.uri}`);
  // The TLS audit runs next to the MQTT probe, under the same deadline.
  const isTls = ep.scheme === 'mqtts' || ep.scheme === 'wss';
  const tlsSettings = { ...DEFAULT_TLS_AUDIT, ...opts.tlsAudit };
  const [probeFact, tlsFacts] = await Promise.all([
    collect(() =>
      probeEndpoint(ep, {
        ...transport,
        windowMs: opts.windowMs,
        showPayloads: opts.showPayloads,
        ...(credentials ? { credentials } : {}),
        ...(opts.canaryTopic ? { canaryTopic: opts.canaryTopic } : {}),
      }),
    ),
    isTls
      ? collect(() => collectTls(ep, { ...transport, ...tlsSettings, ...(credentials ? { credentials } : {}) }))
      : Promise.resolve(undefined),
  ]);
  facts['mqtt.probe'] = probeFact;
  for (const k of TLS_KEYS) {
    if (!isTls) facts[k] = { state: 'skipped', reason: `${ep.uri} is not a TLS endpoint (mqtts:// or wss://)` };
    else if (tlsFacts!.state === 'ok') (facts as Record<string, unknown>)[k] = tlsFacts!.value[k];
    else facts[k] = { state: 'error', error: tlsFacts!.state === 'error' ? tlsFacts!.error : 'not collected', ms: tlsFacts!.state === 'error' ? tlsFacts!.ms : 0 };
  }
  const intrusiveKeys = ['mqtt.credentials', 'mqtt.loginRestriction', 'mqtt.takeover'] as const;
  const probe = facts['mqtt.probe'];
  if (!opts.intrusive) {
    for (const k of intrusiveKeys) facts[k] = { state: 'skipped', reason: 'intrusive probe: run with --intrusive to enable it' };
    return facts;
  }
  if (probe.state !== 'ok') {
    for (const k of intrusiveKeys) facts[k] = { state: 'skipped', reason: `the MQTT probe of ${ep.uri} failed, so intrusive probes were not attempted` };
    return facts;
  }
  const version = probe.value.protocol.used;
  opts.onProgress?.(`intrusive probes on ${ep.uri} (at most ${opts.limits.maxSeconds}s each)`);
  const list = [
    ...opts.wordlist.map((c) => ({ ...c, source: 'wordlist' as const })),
    ...BUILTIN_CREDENTIALS.map((c) => ({ ...c, source: 'built-in' as const })),
  ];
  // The restriction test goes first: a limit that the guessing would trigger must not hide it.
  const clientIdProven = probe.value.randomClientIdAccepted;
  facts['mqtt.loginRestriction'] = await collect(() => testLoginRestriction(ep, version, opts.limits, { ...transport, clientIdProven }));
  facts['mqtt.credentials'] = await collect(() =>
    guessCredentials(ep, version, list, opts.limits, { ...transport, showSecrets: opts.showSecrets, clientIdProven }),
  );
  facts['mqtt.takeover'] = await takeoverFact(ep, probe.value, credentials, transport);
  return facts;
}

async function takeoverFact(
  ep: Endpoint,
  probe: MqttProbe,
  credentials: Credentials | undefined,
  transport: TransportOptions,
): Promise<Fact<FactTypes['mqtt.takeover']>> {
  const anonymousOk = 'connack' in probe.anonymous && probe.anonymous.connack.accepted;
  const identityIsAnonymous = probe.identityKind === 'anonymous';
  const firstOk = identityIsAnonymous ? anonymousOk : probe.credentialed?.accepted === true;
  if (!firstOk) return { state: 'skipped', reason: 'the identity used cannot connect, so there is no session to take over' };
  const { cert: _cert, key: _key, ...anonymousTransport } = transport;
  const first: TakeoverParty = {
    name: probe.identity,
    anonymous: identityIsAnonymous,
    ...(credentials ? { credentials } : {}),
    // The certificate goes only where the probe presented it (TLS endpoints with --cert/--key).
    transport: probe.clientCertificate ? transport : anonymousTransport,
  };
  // A different identity is the interesting case: anonymous taking over a user's session.
  const second: TakeoverParty = !identityIsAnonymous && anonymousOk ? { name: 'anonymous', anonymous: true, transport: anonymousTransport } : first;
  return collect(() => testTakeover(ep, probe.protocol.used, first, second));
}


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
export function judgeOne(check: Check, facts: FactMap, ctx: JudgeContext, intrusive: boolean): CheckResult[] {
  const base = {
    checkId: check.meta.id,
    name: check.meta.name,
    title: check.meta.title,
    strategy: check.meta.strategy,
    subject: ctx.subject,
    location: { uri: ctx.subject.includes('://') ? ctx.subject : `tcp://${formatHost(ctx.subject)}`, kind: 'target' as const },
    remediation: check.meta.remediation,
    references: check.meta.references,
    intrusive: check.meta.intrusive,
  };
  const g = gate(check, facts, intrusive);
  if ('status' in g) return [withFingerprint({ ...base, severity: check.meta.severity, status: g.status, message: g.message, evidence: {} })];
  try {
    const verdicts = verdictList(check.judge(g.facts as FactTypes, ctx));
    if (!verdicts.length) throw new Error('the judge returned no verdict');
    return verdicts.map((v) =>
      withFingerprint(
        {
          ...base,
          ...(v.location && { location: { uri: v.location.file, kind: 'file' as const, line: v.location.line, column: v.location.column } }),
          severity: v.status === 'FAIL' && v.severity ? v.severity : check.meta.severity,
          status: v.status,
          message: v.message,
          evidence: v.evidence ?? {},
        },
        v.key,
      ),
    );
  } catch (e) {
    return [withFingerprint({ ...base, severity: check.meta.severity, status: 'ERROR', message: `internal error in check: ${(e as Error).message}`, evidence: {} })];
  }
}


export async function runAudit(opts: AuditOptions, catalogue: readonly Check[]): Promise<Report> {
  const finish = reportClock('audit');
  const notes: string[] = [];
  const hostFacts = new Map<string, FactMap>();
  const endpointFacts = new Map<string, { endpoint: Endpoint; facts: FactMap }>();

  if (opts.network) {
    const hosts = opts.endpoints.length ? [...new Set(opts.endpoints.map((e) => e.host))] : [opts.defaultHost];
    // 1. Port scans, one per host, hosts concurrently (bounded).
    await mapLimit(hosts, opts.concurrency, async (host) => {
        const facts: FactMap = {};
        if (opts.scanPorts.length) {
          opts.onProgress?.(`scanning ${opts.scanPorts.length} standard ports on ${host}`);
          facts['net.ports'] = await collect(() => scanPorts(host, opts.scanPorts, { timeoutMs: opts.timeoutMs, signal: AbortSignal.timeout(opts.targetTimeoutMs) }));
        } else {
          facts['net.ports'] = { state: 'skipped', reason: 'port scan disabled (--no-port-scan)' };
        }
        if (opts.scanPorts.length) {
          opts.onProgress?.(`probing epmd and the Erlang distribution on ${host}`);
          facts['erlang.exposure'] = await collect(() =>
            collectErlangExposure(host, {
              timeoutMs: opts.timeoutMs,
              intrusive: opts.intrusive,
              signal: AbortSignal.timeout(opts.targetTimeoutMs),
              ...(opts.distPorts && { planPorts: opts.distPorts }),
            }),
          );
        } else {
          facts['erlang.exposure'] = { state: 'skipped', reason: 'port scan disabled (--no-port-scan)' };
        }
        hostFacts.set(host, facts);
    });
    // 2. Endpoints: the operator's, else the MQTT ports that answered.
    let endpoints = opts.endpoints;
    if (!endpoints.length) {
      const scan = hostFacts.get(opts.defaultHost)?.['net.ports'];
      endpoints =
        scan?.state === 'ok'
          ? scan.value.ports.flatMap((p) => {
              const scheme = p.state === 'open' ? SCHEME_FOR_SERVICE[p.service] : undefined;
              return scheme ? [makeEndpoint(scheme, opts.defaultHost, p.port, false)] : [];
            })
          : [];
      if (!endpoints.length) notes.push(`No MQTT listener answered on ${opts.defaultHost} (ports ${opts.scanPorts.join(', ')}): nothing to probe over MQTT.`);
    }
    // 3. MQTT probes, endpoints concurrently (bounded), each under its own deadline.
    const collected = await mapLimit(endpoints, opts.concurrency, async (ep) => ({ endpoint: ep, facts: await collectEndpoint(ep, opts) }));
    for (const c of collected) endpointFacts.set(c.endpoint.uri, c);
    // 4. Derived host fact: the probes of every endpoint on the host.
    for (const [host, facts] of hostFacts) {
      const scan = facts['net.ports'];
      facts['mqtt.endpoints'] = {
        state: 'ok',
        ms: 0,
        value: {
          endpoints: collected.filter((c) => c.endpoint.host === host).map((c) => ({ endpoint: c.endpoint, probe: c.facts['mqtt.probe']! })),
          mqttPortsOpen:
            scan?.state === 'ok'
              ? scan.value.ports
                  .filter((p) => p.state === 'open' && SCHEME_FOR_SERVICE[p.service])
                  .map((p) => ({ port: p.port, tls: p.service === 'mqtts' || p.service === 'mqtt-wss' }))
              : [],
        },
      };
    }
  } else {
    notes.push('Network probes disabled (--host-only).');
  }
  let system: { name: string; facts: FactMap } | undefined;
  if (opts.host) {
    const collected = await collectSystemFacts({ ...opts.system!, ...(opts.onProgress && { onProgress: opts.onProgress }) });
    system = { name: collected.name, facts: collected.facts };
    notes.push(...collected.notes);
  }

  // 5. Judge: pure, fast, every check against every subject of its scope.
  const results: CheckResult[] = [];
  for (const check of catalogue) {
    if (check.meta.scope === 'system') {
      if (system) results.push(...judgeOne(check, system.facts, { subject: system.name, host: system.name, loopback: false }, opts.intrusive));
    } else if (check.meta.scope === 'host') {
      for (const [host, facts] of hostFacts) {
        results.push(...judgeOne(check, facts, { subject: host, host, loopback: isLoopback(host) }, opts.intrusive));
      }
    } else {
      for (const { endpoint, facts } of endpointFacts.values()) {
        results.push(...judgeOne(check, facts, { subject: endpoint.uri, host: endpoint.host, loopback: isLoopback(endpoint.host) }, opts.intrusive));
      }
    }
  }

  return finish({
    options: {
      intrusive: opts.intrusive,
      host: opts.host,
      network: opts.network,
      failOn: opts.failOn,
      identity: opts.credentials?.username ?? (opts.tls.cert ? 'client certificate' : 'anonymous'),
    },
    targets: [
      // Without explicit targets the audited thing is the host itself (its standard ports).
      ...(opts.network && !opts.endpoints.length ? [{ uri: `tcp://${formatHost(opts.defaultHost)}`, explicit: false }] : []),
      ...[...endpointFacts.values()].map(({ endpoint }) => ({ uri: endpoint.uri, explicit: endpoint.explicit })),
    ],
    notes,
    results,
  });
}

