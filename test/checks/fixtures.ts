/** Builders of fact fixtures for the check tests: a hardened baseline plus overrides. */
import type { JudgeContext } from '../../src/core/check.js';
import type { MqttProbe, PortScan, PortState, SubscriptionResult, WildcardCanary } from '../../src/core/facts.js';
import type { FactKey } from '../../src/core/types.js';
import type { FactTypes } from '../../src/core/facts.js';
import { makeEndpoint } from '../../src/core/targets.js';

export interface Case {
  name: string;
  facts: Partial<FactTypes>;
  ctx?: Partial<JudgeContext>;
  /** For bad cases: the expected effective severity, when the judge adjusts it. */
  severity?: string;
  /** A substring the message (of at least one verdict) must contain. */
  message?: string;
  /** For bad cases of file-located checks: a FAIL must point at this line. */
  line?: number;
}

/**
 * Every check test file exports this: PASS cases (good: every verdict PASS), FAIL cases
 * (bad: at least one FAIL), optional SKIP (all SKIP) and ERROR (at least one ERROR) cases.
 */
export interface CheckCases {
  good: Case[];
  bad: Case[];
  skip?: Case[];
  error?: Case[];
}

export function sub(filter: string, over: Partial<SubscriptionResult> = {}): SubscriptionResult {
  return { filter, granted: false, code: 0x87, messages: 0, topics: 0, retained: 0, ...over };
}

export function canary(over: Partial<WildcardCanary> = {}): WildcardCanary {
  return { topic: 'mqtt-warden-canary-<random>/probe', publish: 'refused', pubackCode: 0x87, delivered: false, ...over };
}

/** A tested session: `#` and `$SYS/#` refused unless overridden. */
export function session(over: { wildcard?: SubscriptionResult; sys?: SubscriptionResult; canary?: WildcardCanary } = {}): MqttProbe['session'] {
  return { tested: true, wildcard: over.wildcard ?? sub('#'), sys: over.sys ?? sub('$SYS/#'), canary: over.canary ?? canary(), windowMs: 1000 };
}

/** A hardened broker seen with credentials of a low-privilege user. */
export function probe(over: Partial<MqttProbe> = {}): MqttProbe {
  return {
    endpoint: 'mqtts://broker.example:8883',
    tls: true,
    protocol: { v5: true, used: 5 },
    anonymous: { connack: { protocolVersion: 5, code: 0x87, codeName: 'not authorized', accepted: false, refusal: 'not-authorized' } },
    identity: 'sensor1',
    identityKind: 'password',
    username: 'sensor1',
    credentialed: { protocolVersion: 5, code: 0, codeName: 'success', accepted: true },
    randomClientIdAccepted: true,
    session: session(),
    sysWrite: { tested: true, outcome: 'refused', detail: 'PUBACK reason code 0x87' },
    zeroLengthClientId: { tested: true, accepted: false, code: 0x85, codeName: 'client identifier not valid' },
    broker: { product: 'unknown', sources: [] },
    ...over,
  };
}

export function ports(open: number[], host = '203.0.113.10'): PortScan {
  const all: [number, PortState['service']][] = [
    [1883, 'mqtt'],
    [8883, 'mqtts'],
    [8083, 'mqtt-ws'],
    [8084, 'mqtt-wss'],
    [18083, 'dashboard-http'],
    [18084, 'dashboard-https'],
    [4369, 'epmd'],
    [4370, 'erlang-dist'],
    [5370, 'cluster-rpc'],
  ];
  return {
    host,
    loopback: host.startsWith('127.'),
    ports: all.map(([port, service]) => ({ port, service, state: open.includes(port) ? 'open' : 'closed', ms: 1 })),
  };
}

function endpoints(...uris: string[]): FactTypes['mqtt.endpoints']['endpoints'] {
  return uris.map((u) => {
    const url = new URL(u);
    const scheme = url.protocol.slice(0, -1) as 'mqtt' | 'mqtts' | 'ws' | 'wss';
    const ep = makeEndpoint(scheme, url.hostname, Number(url.port), true);
    return { endpoint: ep, probe: { state: 'ok', value: probe({ endpoint: ep.uri }), ms: 5 } };
  });
}

export function hostEndpoints(uris: string[], portsOpen: number[] = [], failed: string[] = []): FactTypes['mqtt.endpoints'] {
  const broken = endpoints(...failed).map((e) => ({ ...e, probe: { state: 'error' as const, error: 'no CONNACK within 3000 ms', ms: 3000 } }));
  return { endpoints: [...endpoints(...uris), ...broken], mqttPortsOpen: portsOpen.map((port) => ({ port, tls: port === 8883 || port === 8084 })) };
}

export const NETWORK_CTX: JudgeContext = { subject: 'mqtts://broker.example:8883', host: 'broker.example', loopback: false };

export type { FactKey };
