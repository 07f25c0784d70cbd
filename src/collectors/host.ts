/**
 * Host providers: facts about one network host (its standard ports, epmd and the
 * Erlang distribution, and the MQTT endpoints probed on it).
 */
import type { FactMap, HostEndpoints } from '../core/facts.js';
import { collect } from '../core/collect.js';
import type { Provider } from '../core/providers.js';
import type { AuditOptions } from '../core/engine.js';
import { scanPorts } from './ports.js';
import { collectErlangExposure } from './erlang.js';
import { isLoopback } from './ports.js';
import { readHostConfigs } from './config.js';
import { brokerSocketPorts, configuredManagementPorts, DEFAULT_MGMT_PORTS, managementTargets, probeManagementInterfaces } from './mgmt/probe.js';
import { DEFAULT_POLICY } from '../config/policy.js';
import { DEFAULT_TLS_AUDIT } from './endpoint.js';

export interface HostSubject {
  host: string;
  opts: AuditOptions;
  /** The endpoints probed on this host: known once the endpoint phase ran (for `mqtt.endpoints`). */
  probes?: HostEndpoints['endpoints'];
}

/** Port-scan services that are MQTT, with the scheme an endpoint on them gets. */
export const SCHEME_FOR_SERVICE: Partial<Record<string, 'mqtt' | 'mqtts' | 'ws' | 'wss'>> = {
  mqtt: 'mqtt',
  mqtts: 'mqtts',
  'mqtt-ws': 'ws',
  'mqtt-wss': 'wss',
};

const NO_SCAN = { state: 'skipped', reason: 'port scan disabled (--no-port-scan)' } as const;

export const HOST_PROVIDERS: readonly Provider<HostSubject>[] = [
  {
    // The security policy's thresholds for the host checks (SVC-082: tls.minRsaBits, tls.minEcBits).
    name: 'policy',
    scope: 'host',
    provides: ['policy'],
    collect({ subject: { opts } }) {
      return Promise.resolve({ policy: { state: 'ok', value: opts.policy ?? opts.system?.policy ?? DEFAULT_POLICY, ms: 0 } });
    },
  },
  {
    name: 'port-scan',
    scope: 'host',
    provides: ['net.ports'],
    async collect({ subject: { host, opts } }) {
      if (!opts.scanPorts.length) return { 'net.ports': NO_SCAN };
      opts.onProgress?.(`scanning ${opts.scanPorts.length} standard ports on ${host}`);
      return { 'net.ports': await collect(() => scanPorts(host, opts.scanPorts, { timeoutMs: opts.timeoutMs, signal: AbortSignal.timeout(opts.targetTimeoutMs) })) };
    },
  },
  {
    name: 'erlang-distribution',
    scope: 'host',
    provides: ['erlang.exposure'],
    async collect({ subject: { host, opts } }) {
      if (!opts.scanPorts.length) return { 'erlang.exposure': NO_SCAN };
      opts.onProgress?.(`probing epmd and the Erlang distribution on ${host}`);
      return {
        'erlang.exposure': await collect(() =>
          collectErlangExposure(host, {
            timeoutMs: opts.timeoutMs,
            intrusive: opts.intrusive,
            signal: AbortSignal.timeout(opts.targetTimeoutMs),
            ...(opts.distPorts && { planPorts: opts.distPorts }),
          }),
        ),
      };
    },
  },
  {
    // The management HTTP interfaces (docs/management-probes.md): defaults, plus this machine's configured ports and
    // broker sockets on loopback. The sys.* facts are this machine's, given by the engine when the run audits it live
    // (absent otherwise: the port list does not grow).
    name: 'management-probes',
    scope: 'host',
    provides: ['mgmt.http'],
    reads: ['net.ports', 'sys.listeners', 'sys.brokers'],
    async collect({ subject: { host, opts }, facts }) {
      if (!opts.scanPorts.length) return { 'mgmt.http': NO_SCAN };
      const loopback = isLoopback(host);
      const problems: string[] = [];
      let configured: ReturnType<typeof configuredManagementPorts> = [];
      // The configs describe this machine: their ports are probed when the target is this machine (loopback).
      if (loopback && opts.host && opts.system) {
        try {
          const hc = readHostConfigs({ root: opts.system.root, ...(opts.system.configs?.length && { files: opts.system.configs }) });
          configured = configuredManagementPorts(hc);
          for (const c of [...hc.emqx, ...hc.mosquitto]) if (c.error) problems.push(`${c.path}: ${c.error}`);
        } catch (e) {
          problems.push(`reading the broker configs: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      // The TCP ports the broker processes of this machine listen on (a dashboard moved by an environment variable).
      const socketNotes: string[] = [];
      if (loopback) {
        const l = facts['sys.listeners'];
        const b = facts['sys.brokers'];
        if (l?.state === 'ok') {
          const s = brokerSocketPorts(l.value, b?.state === 'ok' ? b.value : undefined, host.includes(':') ? 6 : 4);
          configured = [...configured, ...s.ports];
          socketNotes.push(...s.notes);
        } else if (l) socketNotes.push(`the listening sockets of this machine are unknown (${l.state === 'error' ? l.error : l.reason}): no port added from them`);
      }
      const scan = facts['net.ports'];
      const defaults = opts.mgmtPorts ? DEFAULT_MGMT_PORTS.filter((d) => opts.mgmtPorts!.includes(d.port)) : DEFAULT_MGMT_PORTS;
      const targets = managementTargets(defaults, scan?.state === 'ok' ? scan.value : undefined, configured);
      opts.onProgress?.(`probing management HTTP interfaces on ${host} (ports ${targets.map((t) => t.port).join(', ')})`);
      return {
        'mgmt.http': await collect(() =>
          probeManagementInterfaces(
            host,
            loopback,
            targets,
            {
              timeoutMs: opts.timeoutMs,
              intrusive: opts.intrusive,
              signal: AbortSignal.timeout(opts.targetTimeoutMs),
              expiryWarnDays: opts.tlsAudit?.expiryWarnDays ?? opts.system?.expiryWarnDays ?? DEFAULT_TLS_AUDIT.expiryWarnDays,
            },
            problems,
            socketNotes,
          ),
        ),
      };
    },
  },
  {
    // Derived: the probes of every endpoint on the host, and which MQTT ports the scan found open.
    name: 'mqtt-endpoints',
    scope: 'host',
    provides: ['mqtt.endpoints'],
    reads: ['net.ports'],
    async collect({ subject, facts }): Promise<FactMap> {
      const scan = facts['net.ports'];
      return {
        'mqtt.endpoints': {
          state: 'ok',
          ms: 0,
          value: {
            endpoints: subject.probes ?? [],
            mqttPortsOpen:
              scan?.state === 'ok'
                ? scan.value.ports.filter((p) => p.state === 'open' && SCHEME_FOR_SERVICE[p.service]).map((p) => ({ port: p.port, tls: p.service === 'mqtts' || p.service === 'mqtt-wss' }))
                : [],
          },
        },
      };
    },
  },
];
