/**
 * Planner input from real configuration: EMQX (base.hocon < cluster.hocon <
 * emqx.conf, read by src/config/emqx.ts), mosquitto.conf (src/config/mosquitto.ts) and
 * nanomq.conf (src/config/nanomq.ts). Only adapts their results; the parsing is theirs.
 */
import { dirname, join } from 'node:path';
import { loadEmqxConfig, type EmqxConfig, type EmqxGatewayListenerType } from '../config/emqx.js';
import { loadMosquittoConfig, type MosquittoConfig } from '../config/mosquitto.js';
import { parseNanomqConfig } from '../config/nanomq.js';
import { errCode, fsIO, type ConfigIO, type SourceLoc } from '../config/io.js';
import { checkPassword } from '../credentials/strength.js';
import { DEFAULT_POLICY } from '../config/policy.js';
import type { ListenerInput, NodeInput, PlanWarning } from './types.js';

export class ConfigInputError extends Error {}

const at = (l: SourceLoc) => `${l.file}:${l.line}`;

function issueWarnings(issues: readonly (SourceLoc & { message: string })[]): PlanWarning[] {
  return issues.map((i) => ({ code: 'config-issue' as const, severity: 'medium' as const, message: `${i.file}:${i.line}:${i.column}: ${i.message}` }));
}

/**
 * Whether a dashboard listener is on. EMQX 5.1+ deprecated `enable` for the
 * dashboard listeners: "The listener is disabled if `bind` is `0`"
 * (emqx_dashboard_schema bind.desc), and the shipped examples enable HTTPS by
 * setting `bind` alone. So only an `enable = false` written in a file turns a
 * listener with a non-zero bind off; the built-in `enable = false` default does not.
 */
function dashboardOn(cfg: Pick<EmqxConfig, 'get'>, d: EmqxConfig['dashboard']['listeners'][number]): boolean {
  if (d.bind.port === 0) return false;
  const enable = cfg.get(`${d.path}.enable`);
  return !(enable && !enable.default && enable.value === false);
}

/** The listeners of an EMQX config (MQTT and dashboard), disabled ones and `bind = 0` included as disabled. */
export function emqxListeners(cfg: Pick<EmqxConfig, 'listeners' | 'dashboard' | 'get'> & Partial<Pick<EmqxConfig, 'gateways'>>): ListenerInput[] {
  const out: ListenerInput[] = [];
  for (const l of cfg.listeners) {
    out.push({
      type: l.type,
      name: l.name,
      port: l.bind.port,
      ...(l.bind.address !== undefined && { bind: l.bind.address }),
      enabled: l.enabled && l.bind.port !== 0,
      source: l.location ? `${l.path} (${at(l.location)})` : `EMQX default ${l.path}`,
    });
  }
  for (const d of cfg.dashboard.listeners) {
    out.push({
      type: d.name === 'https' ? 'dashboard-https' : 'dashboard-http',
      name: d.name,
      port: d.bind.port,
      ...(d.bind.address !== undefined && { bind: d.bind.address }),
      enabled: dashboardOn(cfg, d),
      source: d.location ? `${d.path} (${at(d.location)})` : `EMQX default ${d.path}`,
    });
  }
  // Gateways (MQTT-SN, STOMP, CoAP, LwM2M, ExProto) open listeners of their own.
  for (const g of cfg.gateways ?? []) {
    out.push({
      type: GATEWAY_TYPE[g.type],
      name: `${g.gateway}.${g.type}.${g.name}`,
      port: g.bind.port,
      ...(g.bind.address !== undefined && { bind: g.bind.address }),
      enabled: g.enabled,
      source: `${g.path}${g.location ? ` (${at(g.location)})` : ''}`,
    });
  }
  return out;
}

/** The planner's listener type of a gateway listener's transport (WebSocket ones are TCP/TLS to a firewall). */
const GATEWAY_TYPE: Record<EmqxGatewayListenerType, ListenerInput['type']> = { tcp: 'gateway-tcp', ws: 'gateway-tcp', ssl: 'gateway-ssl', wss: 'gateway-ssl', udp: 'gateway-udp', dtls: 'gateway-dtls' };

/**
 * The node of an EMQX config, plus the other nodes of `cluster.static.seeds`
 * (assumed to share this config, as cluster members usually do).
 */
/**
 * The EMQX node of layered config files (lowest precedence first) and its static seeds, as EMQX reads them: with
 * the EMQX_* environment given (`env`), etc/emqx.env next to the last file over it, and the release's defaults.
 */
export function nodesFromEmqx(
  files: string[],
  opts: { io?: ConfigIO; env?: Record<string, string>; envLocations?: Record<string, SourceLoc>; version?: string } = {},
): { nodes: NodeInput[]; warnings: PlanWarning[] } {
  const cfg = loadEmqxConfig({
    files,
    envFile: join(dirname(files[files.length - 1] ?? '.'), 'emqx.env'),
    ...(opts.io && { io: opts.io }),
    ...(opts.env && { env: opts.env }),
    ...(opts.envLocations && { envLocations: opts.envLocations }),
    ...(opts.version && { version: opts.version }),
  });
  if (!cfg.files.length) throw new ConfigInputError(`cannot read any EMQX config file of ${files.join(', ')}`);
  const listeners = emqxListeners(cfg);
  const discovery = cfg.rpc.portDiscovery === 'manual' ? 'manual' : 'stateless';
  const shared = {
    kind: 'emqx' as const,
    listeners,
    rpc: { portDiscovery: discovery, serverPort: cfg.rpc.serverPort } as NodeInput['rpc'],
    protoDist: cfg.cluster.protoDist,
  };
  const nodes: NodeInput[] = [{ name: cfg.nodeName, ...shared, source: files.join(', ') }];
  for (const seed of cfg.cluster.staticSeeds) {
    if (seed !== cfg.nodeName) nodes.push({ name: seed, ...shared, source: 'cluster.static.seeds' });
  }
  return { nodes, warnings: issueWarnings(cfg.issues) };
}

/** A Mosquitto broker from mosquitto.conf; `label` names it in the plan, `addresses` place it on a host. */
export function nodeFromMosquitto(file: string, opts: { label?: string; addresses?: string[]; io?: ConfigIO } = {}): { node: NodeInput; warnings: PlanWarning[] } {
  let cfg: MosquittoConfig;
  try {
    cfg = loadMosquittoConfig(file, opts.io);
  } catch (e) {
    throw new ConfigInputError((e as Error).message);
  }
  const listeners: ListenerInput[] = cfg.listeners.map((l) => ({
    // Mosquitto 2.1's HTTP API (`protocol http_api`) is a management port, like a dashboard.
    type: l.protocol === 'http_api' ? (l.tls ? 'dashboard-https' : 'dashboard-http') : l.protocol === 'websockets' ? (l.tls ? 'wss' : 'ws') : l.tls ? 'ssl' : 'tcp',
    port: l.port,
    ...(l.bind !== undefined && { bind: l.bind }),
    enabled: l.port !== 0,
    source: `${l.kind === 'explicit' ? 'listener' : l.kind === 'default' ? 'default listener' : 'no listener configured: loopback only'} (${at(l.location)})`,
  }));
  return {
    node: { name: opts.label ?? `mosquitto (${file})`, kind: 'mosquitto', listeners, ...(opts.addresses?.length && { addresses: opts.addresses }), source: file },
    warnings: issueWarnings(cfg.issues),
  };
}

/**
 * A NanoMQ broker from nanomq.conf (HOCON or the legacy format): its MQTT listeners (the
 * compiled-in 0.0.0.0:1883 when none is configured) and its HTTP API (port 8081 by default),
 * which the plan treats as an admin port like a dashboard.
 */
export function nodeFromNanomq(file: string, opts: { label?: string; addresses?: string[]; io?: ConfigIO } = {}): { node: NodeInput; warnings: PlanWarning[] } {
  const io = opts.io ?? fsIO();
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new ConfigInputError(`cannot read ${file}: ${errCode(e)}`);
  }
  const cfg = parseNanomqConfig(text, file, { io, score: (pw) => checkPassword(pw, DEFAULT_POLICY.passwords) });
  const listeners: ListenerInput[] = cfg.listeners.map((l) => ({
    type: l.kind,
    port: l.port,
    ...(l.host !== '0.0.0.0' && l.host !== '::' && { bind: l.host }),
    enabled: l.port !== 0,
    source: l.set ? `listeners.${l.kind} (${at(l.at)})` : `NanoMQ default ${l.kind} listener (${at(l.at)})`,
  }));
  const h = cfg.httpServer;
  if (h) {
    listeners.push({
      type: 'dashboard-http',
      name: 'http_server',
      port: h.port.value,
      ...(h.host.value !== '0.0.0.0' && h.host.value !== '::' && { bind: h.host.value }),
      enabled: h.port.value !== 0,
      source: `http_server (${at(h.at)})`,
    });
  }
  return {
    node: { name: opts.label ?? `nanomq (${file})`, kind: 'nanomq', listeners, ...(opts.addresses?.length && { addresses: opts.addresses }), source: file },
    // Included password and ACL files do not change the ports: only the config's own problems are warnings.
    warnings: issueWarnings(cfg.issues),
  };
}
