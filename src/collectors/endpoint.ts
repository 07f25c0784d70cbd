/**
 * Endpoint providers: the facts about one MQTT endpoint. The MQTT probe and the
 * TLS audit run side by side under the endpoint's deadline; the intrusive probes
 * run after the probe, one after the other (the login-restriction test first, so
 * that the guessing cannot hide a limit), and only with --intrusive.
 */
import { DEFAULT_POLICY } from '../config/policy.js';
import type { FactMap, FactTypes, MqttProbe } from '../core/facts.js';
import { collect } from '../core/collect.js';
import type { Provider } from '../core/providers.js';
import type { Endpoint, Fact, FactKey } from '../core/types.js';
import type { AuditOptions } from '../core/engine.js';
import { probeEndpoint, type Credentials } from './mqtt/probe.js';
import { BUILTIN_CREDENTIALS, guessCredentials, testLoginRestriction, testTakeover, type TakeoverParty } from './mqtt/intrusive.js';
import type { TransportOptions } from './mqtt/channel.js';

export const DEFAULT_TLS_AUDIT: TlsAuditSettings = { concurrency: 4, crlFiles: [], revocationOnline: false, expiryWarnDays: [30, 60] };

export interface TlsAuditSettings {
  /** TLS handshakes in flight at most per target (cipher enumeration). */
  concurrency: number;
  /** Local CRL files (--crl), read by the CLI. */
  crlFiles: import('./tls/revocation.js').CrlInput[];
  /** Consult the CRL distribution points and OCSP responders the certificate names. */
  revocationOnline: boolean;
  /** Warn this many days before expiry, e.g. [30, 60]. */
  expiryWarnDays: number[];
}

/** One endpoint of a run, with the transport settings every provider of it shares (one deadline). */
export interface EndpointSubject {
  endpoint: Endpoint;
  opts: AuditOptions;
  credentials?: Credentials;
  transport: TransportOptions;
}

export function endpointSubject(endpoint: Endpoint, opts: AuditOptions): EndpointSubject {
  const intrusiveBudgetMs = opts.intrusive ? 3 * (opts.limits.maxSeconds * 1000 + opts.timeoutMs) : 0;
  const signal = AbortSignal.timeout(opts.targetTimeoutMs + intrusiveBudgetMs);
  const credentials = opts.endpointCredentials?.[endpoint.uri] ?? opts.credentials;
  return { endpoint, opts, ...(credentials && { credentials }), transport: { timeoutMs: opts.timeoutMs, signal, ...opts.tls } };
}

const TLS_KEYS = ['tls.protocols', 'tls.ciphers', 'tls.certificate', 'tls.revocation', 'tls.clientAuth'] as const;
const INTRUSIVE_KEYS = ['mqtt.loginRestriction', 'mqtt.credentials', 'mqtt.takeover'] as const;

const isTls = (ep: Endpoint) => ep.scheme === 'mqtts' || ep.scheme === 'wss';

async function takeoverFact(ep: Endpoint, probe: MqttProbe, credentials: Credentials | undefined, transport: TransportOptions): Promise<Fact<FactTypes['mqtt.takeover']>> {
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

export const ENDPOINT_PROVIDERS: readonly Provider<EndpointSubject>[] = [
  {
    // The security policy's thresholds for the endpoint checks (ACC-008: loginAttempts.maxFailures).
    name: 'policy',
    scope: 'endpoint',
    provides: ['policy'],
    collect({ subject: { opts } }) {
      return Promise.resolve({ policy: { state: 'ok', value: opts.policy ?? opts.system?.policy ?? DEFAULT_POLICY, ms: 0 } });
    },
  },
  {
    name: 'mqtt-probe',
    scope: 'endpoint',
    provides: ['mqtt.probe'],
    async collect({ subject: { endpoint, opts, credentials, transport } }) {
      opts.onProgress?.(`probing ${endpoint.uri}`);
      return {
        'mqtt.probe': await collect(() =>
          probeEndpoint(endpoint, {
            ...transport,
            windowMs: opts.windowMs,
            showPayloads: opts.showPayloads,
            ...(credentials ? { credentials } : {}),
            ...(opts.canaryTopic ? { canaryTopic: opts.canaryTopic } : {}),
          }),
        ),
      };
    },
  },
  {
    name: 'tls-audit',
    scope: 'endpoint',
    provides: TLS_KEYS,
    async collect({ subject: { endpoint, opts, credentials, transport } }) {
      if (!isTls(endpoint)) {
        const skipped = { state: 'skipped', reason: 'plaintext endpoint: the TLS checks apply to mqtts:// and wss:// endpoints', notApplicable: true } as const;
        return Object.fromEntries(TLS_KEYS.map((k) => [k, skipped])) as FactMap;
      }
      // Loaded for TLS endpoints only: the certificate libraries (@peculiar/x509, pkijs) are the largest
      // modules of a run, and a plaintext audit never needs them.
      const { collectTls } = await import('./tls/index.js');
      const f = await collect(() => collectTls(endpoint, { ...transport, ...DEFAULT_TLS_AUDIT, ...opts.tlsAudit, ...(credentials ? { credentials } : {}) }));
      if (f.state === 'ok') return f.value as FactMap;
      const failed = f.state === 'error' ? { state: 'error' as const, error: f.error, ms: f.ms } : f;
      return Object.fromEntries(TLS_KEYS.map((k) => [k, failed])) as FactMap;
    },
  },
  {
    name: 'intrusive-probes',
    scope: 'endpoint',
    provides: INTRUSIVE_KEYS,
    reads: ['mqtt.probe'],
    async collect({ subject: { endpoint, opts, credentials, transport }, facts, wanted }) {
      const out: FactMap = {};
      const skipAll = (reason: string) => {
        for (const k of INTRUSIVE_KEYS) out[k] = { state: 'skipped', reason };
        return out;
      };
      if (!opts.intrusive) return skipAll('intrusive probe: run with --intrusive to enable it');
      const probe = facts['mqtt.probe'];
      if (probe?.state !== 'ok') return skipAll(`the MQTT probe of ${endpoint.uri} failed, so intrusive probes were not attempted`);
      const version = probe.value.protocol.used;
      const want = (k: FactKey) => wanted.has(k);
      opts.onProgress?.(`intrusive probes on ${endpoint.uri} (at most ${opts.limits.maxSeconds}s each)`);
      const clientIdProven = probe.value.randomClientIdAccepted;
      // The restriction test goes first: a limit that the guessing would trigger must not hide it.
      if (want('mqtt.loginRestriction')) out['mqtt.loginRestriction'] = await collect(() => testLoginRestriction(endpoint, version, opts.limits, { ...transport, clientIdProven }));
      if (want('mqtt.credentials')) {
        const list = [...opts.wordlist.map((c) => ({ ...c, source: 'wordlist' as const })), ...BUILTIN_CREDENTIALS.map((c) => ({ ...c, source: 'built-in' as const }))];
        out['mqtt.credentials'] = await collect(() => guessCredentials(endpoint, version, list, opts.limits, { ...transport, showSecrets: opts.showSecrets, clientIdProven }));
      }
      if (want('mqtt.takeover')) out['mqtt.takeover'] = await takeoverFact(endpoint, probe.value, credentials, transport);
      return out;
    },
  },
];
