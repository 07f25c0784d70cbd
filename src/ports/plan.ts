/**
 * The port planner: from a description of the nodes and the networks that use
 * them to every port each node must expose, to whom, and what looks wrong.
 * Pure: the same input gives the same plan.
 */
import { isIpAddress, isLoopbackAddress, NetworkError, normalizeNetworks, overlaps, parseNetwork, type Network } from './net.js';
import { distPort, EPMD_PORT, isOutgoingOnly, nodeOffset, NodeNameError, parseNodeName, rpcPort, RPC_MANUAL_DEFAULT_PORT } from './rules.js';
import type { Audience, ListenerInput, ListenerType, NodeInput, NodePlan, PlanInput, PlannedPort, PlanWarning, PortPlan, PortService } from './types.js';

export class PlanError extends Error {}

/** EMQX 5 listeners enabled out of the box (HARDENING-FACTS.md section 1; dashboard https is off by default). */
export const EMQX_DEFAULT_LISTENERS: readonly ListenerInput[] = [
  { type: 'tcp', name: 'default', port: 1883, source: 'EMQX default listeners.tcp.default' },
  { type: 'ssl', name: 'default', port: 8883, source: 'EMQX default listeners.ssl.default' },
  { type: 'ws', name: 'default', port: 8083, source: 'EMQX default listeners.ws.default' },
  { type: 'wss', name: 'default', port: 8084, source: 'EMQX default listeners.wss.default' },
  { type: 'dashboard-http', name: 'http', port: 18083, source: 'EMQX default dashboard.listeners.http' },
];

/** Mosquitto 2.x without any listener binds 1883 on loopback only. */
export const MOSQUITTO_DEFAULT_LISTENERS: readonly ListenerInput[] = [
  { type: 'tcp', port: 1883, bind: '127.0.0.1', source: 'Mosquitto 2 default (no listener configured: loopback only)' },
];

const LISTENER_SERVICE: Record<ListenerType, { service: PortService; proto: 'tcp' | 'udp'; purpose: string; plaintext: boolean }> = {
  tcp: { service: 'mqtt', proto: 'tcp', purpose: 'MQTT over TCP (plaintext)', plaintext: true },
  ssl: { service: 'mqtts', proto: 'tcp', purpose: 'MQTT over TLS', plaintext: false },
  ws: { service: 'mqtt-ws', proto: 'tcp', purpose: 'MQTT over WebSocket (plaintext)', plaintext: true },
  wss: { service: 'mqtt-wss', proto: 'tcp', purpose: 'MQTT over secure WebSocket', plaintext: false },
  quic: { service: 'mqtt-quic', proto: 'udp', purpose: 'MQTT over QUIC', plaintext: false },
  'dashboard-http': { service: 'dashboard-http', proto: 'tcp', purpose: 'dashboard and HTTP API (plain HTTP)', plaintext: true },
  'dashboard-https': { service: 'dashboard-https', proto: 'tcp', purpose: 'dashboard and HTTP API (HTTPS)', plaintext: false },
  'gateway-tcp': { service: 'gateway', proto: 'tcp', purpose: 'EMQX protocol gateway over TCP (plaintext)', plaintext: true },
  'gateway-ssl': { service: 'gateway', proto: 'tcp', purpose: 'EMQX protocol gateway over TLS', plaintext: false },
  'gateway-udp': { service: 'gateway', proto: 'udp', purpose: 'EMQX protocol gateway over UDP (plaintext)', plaintext: true },
  'gateway-dtls': { service: 'gateway', proto: 'udp', purpose: 'EMQX protocol gateway over DTLS', plaintext: false },
};

function networks(list: readonly string[], what: string): Network[] {
  try {
    return normalizeNetworks(list.map((s, i) => parseNetwork(s, `${what} #${i + 1}`)));
  } catch (e) {
    if (e instanceof NetworkError) throw new PlanError(e.message);
    throw e;
  }
}

function isDashboard(t: ListenerType): boolean {
  return t === 'dashboard-http' || t === 'dashboard-https';
}

function nodeAddresses(node: NodeInput, warnings: PlanWarning[]): string[] {
  const given = node.addresses?.length ? node.addresses : [];
  const out: string[] = [];
  for (const a of given) {
    if (!isIpAddress(a)) throw new PlanError(`node ${node.name}: address ${JSON.stringify(a)} is not an IP address`);
    out.push(parseNetwork(a, `node ${node.name}`).text);
  }
  if (!out.length && node.kind === 'emqx') {
    const host = parseNodeName(node.name).host;
    if (isIpAddress(host)) out.push(parseNetwork(host, `node ${node.name}`).text);
  }
  if (!out.length && node.kind === 'emqx') {
    warnings.push({
      code: 'no-address',
      severity: 'medium',
      node: node.name,
      message: `${node.name}: no IP address known (the node name's host is not an IP): it is missing from the peers set; give its address (cluster file \`addresses\`, or --peers)`,
    });
  }
  return out;
}

function listenerPorts(node: NodeInput, input: { clientsAnywhere: boolean }): PlannedPort[] {
  const defaults = node.kind === 'emqx' ? EMQX_DEFAULT_LISTENERS : MOSQUITTO_DEFAULT_LISTENERS;
  const listeners = node.listeners ?? defaults;
  const out: PlannedPort[] = [];
  for (const l of listeners) {
    if (l.enabled === false || l.port === 0) continue;
    const s = LISTENER_SERVICE[l.type];
    let audience: Audience = l.audience ?? (isDashboard(l.type) ? 'admins' : 'clients');
    if (audience === 'clients' && input.clientsAnywhere) audience = 'any';
    if (l.bind && isLoopbackAddress(l.bind)) audience = 'local';
    const label = l.name ? `${l.type.startsWith('dashboard') ? 'dashboard.listeners' : 'listeners'}.${l.type.replace('dashboard-', '')}.${l.name}` : `${l.type} listener`;
    out.push({
      port: l.port,
      proto: s.proto,
      service: s.service,
      purpose: s.purpose,
      audience,
      ...(l.bind !== undefined && { bind: l.bind }),
      source: l.source ?? label,
    });
  }
  return out;
}

function emqxPorts(node: NodeInput, warnings: PlanWarning[]): { dist: number; ports: PlannedPort[] } {
  const { short } = parseNodeName(node.name, `node ${node.name}`);
  const ports: PlannedPort[] = [];
  const dist = distPort(node.name);
  const n = nodeOffset(node.name);
  if (isOutgoingOnly(node.name)) {
    warnings.push({
      code: 'outgoing-only',
      severity: 'info',
      node: node.name,
      message: `${node.name}: names starting with "remsh" are remote shells: distribution port 0 (outgoing only), nothing to open`,
    });
    return { dist, ports };
  }
  const tls = node.protoDist?.includes('tls');
  ports.push({
    port: dist,
    proto: 'tcp',
    service: 'erlang-dist',
    purpose: `Erlang distribution${tls ? ' over TLS' : ''} (cluster)`,
    audience: 'peers',
    source: n ? `4370 + ${n} (digits at the end of "${short}")` : `4370 ("${short}" ends in no digits)`,
  });
  const discovery = node.rpc?.portDiscovery ?? 'stateless';
  const rpc = rpcPort(node.name, discovery, node.rpc?.serverPort);
  ports.push({
    port: rpc,
    proto: 'tcp',
    service: 'cluster-rpc',
    purpose: 'cluster RPC (gen_rpc)',
    audience: 'peers',
    source: discovery === 'manual' ? `rpc.port_discovery = manual, rpc.server_port = ${rpc}` : n ? `5370 + ${n} (rpc.port_discovery = stateless)` : '5370 (rpc.port_discovery = stateless)',
  });
  if (discovery === 'manual' && rpc === RPC_MANUAL_DEFAULT_PORT) {
    warnings.push({
      code: 'rpc-manual',
      severity: 'info',
      node: node.name,
      port: rpc,
      message: `${node.name}: rpc.port_discovery = manual with the default rpc.server_port 5369 (as the official Docker image sets it): every node uses 5369, so two nodes cannot share a host`,
    });
  }
  if (node.epmd) {
    ports.push({ port: EPMD_PORT, proto: 'tcp', service: 'epmd', purpose: 'Erlang port mapper (EMQX 4.x with WITH_EPMD=1)', audience: 'peers', source: 'epmd enabled' });
    warnings.push({
      code: 'epmd',
      severity: 'low',
      node: node.name,
      port: EPMD_PORT,
      message: `${node.name}: epmd (4369) tells anyone who asks the node names and distribution ports; EMQX 5 needs no epmd`,
    });
  }
  return { dist, ports };
}

function audienceLabel(a: Audience): string {
  return a === 'any' ? 'anyone' : a === 'local' ? 'loopback only' : a;
}

/** Build the plan. Throws PlanError on input that cannot be planned (bad networks, node names, duplicates). */
export function buildPlan(input: PlanInput): PortPlan {
  const warnings: PlanWarning[] = [...(input.warnings ?? [])];
  // `any` (alone) opens MQTT to everyone explicitly; no client networks at all does the same by default, with a warning.
  const clientsAny = input.clients.some((c) => c.trim() === 'any');
  if (clientsAny && input.clients.length > 1) {
    throw new PlanError(`--clients any opens MQTT to everyone: it cannot go with client networks (${input.clients.filter((c) => c.trim() !== 'any').join(', ')})`);
  }
  const clients = clientsAny ? [] : networks(input.clients, '--clients');
  const admins = networks(input.admins, '--admins');
  const clientsAnywhere = clients.length === 0;
  const seen = new Set<string>();
  const nodes: NodePlan[] = [];
  if (!input.nodes.length) throw new PlanError('no nodes to plan: give --node name@address, a cluster file or a config file');
  for (const node of input.nodes) {
    try {
      if (seen.has(node.name)) throw new PlanError(`node ${node.name} is listed twice`);
      seen.add(node.name);
      const addresses = nodeAddresses(node, warnings);
      const ports: PlannedPort[] = [];
      let dist: number | undefined;
      if (node.kind === 'emqx') {
        const e = emqxPorts(node, warnings);
        dist = e.dist;
        ports.push(...e.ports);
        if (dist === 0) {
          nodes.push({ name: node.name, kind: node.kind, addresses, distPort: 0, ports: [] });
          continue;
        }
      }
      ports.push(...listenerPorts(node, { clientsAnywhere }));
      if (input.ssh !== false) {
        ports.push({ port: input.ssh, proto: 'tcp', service: 'ssh', purpose: 'SSH (host administration)', audience: 'admins', source: 'SSH for admins (--ssh-port, --no-ssh)' });
      }
      nodes.push({ name: node.name, kind: node.kind, addresses, ...(dist !== undefined && { distPort: dist }), ports });
    } catch (e) {
      if (e instanceof NodeNameError) throw new PlanError(e.message);
      if (e instanceof NetworkError) throw new PlanError(e.message);
      throw e;
    }
  }
  const peers = normalizeNetworks([
    ...nodes.flatMap((n) => n.addresses.map((a) => parseNetwork(a, n.name))),
    ...networks(input.peers, '--peers'),
  ]);

  for (const n of nodes) {
    for (const p of n.ports) {
      if ((p.service === 'mqtt' || p.service === 'mqtt-ws') && (p.audience === 'clients' || p.audience === 'any')) {
        warnings.push({
          code: 'plaintext-to-clients',
          severity: 'medium',
          node: n.name,
          port: p.port,
          message: `${n.name}: ${p.purpose} on ${p.port} is open to ${audienceLabel(p.audience)}: credentials and messages cross the network unencrypted; prefer the TLS listener`,
        });
      }
      if (p.service.startsWith('dashboard') && (p.audience === 'clients' || p.audience === 'any')) {
        warnings.push({
          code: 'dashboard-to-clients',
          severity: 'high',
          node: n.name,
          port: p.port,
          message: `${n.name}: the dashboard/HTTP API on ${p.port} is open to ${audienceLabel(p.audience)}`,
        });
      }
      if (p.service === 'dashboard-http' && p.audience !== 'local') {
        warnings.push({
          code: 'dashboard-plaintext',
          severity: 'low',
          node: n.name,
          port: p.port,
          message: `${n.name}: the dashboard on ${p.port} speaks plain HTTP: admin passwords and API tokens cross the network unencrypted; prefer dashboard.listeners.https`,
        });
      }
    }
  }
  const overlapping = admins.filter((a) => clients.some((c) => overlaps(a, c)));
  const dashboards = nodes.some((n) => n.ports.some((p) => p.service.startsWith('dashboard') && p.audience === 'admins'));
  if (overlapping.length && dashboards) {
    warnings.push({
      code: 'dashboard-to-clients',
      severity: 'high',
      message: `admin network(s) ${overlapping.map((a) => a.text).join(', ')} overlap the client networks: clients there reach the dashboard`,
    });
  }
  if (clientsAnywhere && nodes.some((n) => n.ports.some((p) => p.audience === 'any'))) {
    warnings.push(
      clientsAny
        ? { code: 'clients-anywhere', severity: 'info', message: 'clients: any: MQTT listeners are open to everyone (as asked)' }
        : {
            code: 'clients-anywhere',
            severity: 'medium',
            message: 'no client networks given (--clients): MQTT listeners are open to everyone; limit them with --clients CIDR,… or say so with --clients any',
          },
    );
  }
  if (!admins.length && nodes.some((n) => n.ports.some((p) => p.audience === 'admins'))) {
    warnings.push({
      code: 'no-admins',
      severity: 'medium',
      message: `no admin networks given (--admins): ${[...new Set(nodes.flatMap((n) => n.ports.filter((p) => p.audience === 'admins').map((p) => `${p.port} (${p.service})`)))].join(', ')} will only be reachable from the host itself — applying the firewall over SSH would lock you out`,
    });
  }
  for (const n of nodes) ownCollisions(n, warnings);
  collisions(nodes, warnings);
  return {
    nodes,
    networks: { peers: peers.map((p) => p.text), clients: clients.map((c) => c.text), admins: admins.map((a) => a.text) },
    warnings,
  };
}

/** One node with two listeners on one port: the second cannot start (EMQX: eaddrinuse). */
function ownCollisions(n: NodePlan, warnings: PlanWarning[]): void {
  const seen = new Map<string, PlannedPort>();
  for (const p of n.ports) {
    const key = `${p.proto}/${p.port}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, p);
      continue;
    }
    warnings.push({
      code: 'port-collision',
      severity: 'high',
      node: n.name,
      port: p.port,
      message: `${n.name}: ${first.source} and ${p.source} both need ${key}: only one can listen`,
    });
  }
}

/** Nodes sharing an address must not share a port (two EMQX nodes whose suffixes give the same offset, manual RPC, listeners). */
function collisions(nodes: readonly NodePlan[], warnings: PlanWarning[]): void {
  const byAddress = new Map<string, NodePlan[]>();
  for (const n of nodes) for (const a of n.addresses) byAddress.set(a, [...(byAddress.get(a) ?? []), n]);
  const reported = new Set<string>();
  for (const [address, group] of byAddress) {
    if (group.length < 2) continue;
    const users = new Map<string, { node: string; service: PortService }[]>();
    for (const n of group) {
      for (const p of n.ports) {
        if (p.service === 'ssh') continue; // the host's own SSH, shared by design
        const key = `${p.proto}/${p.port}`;
        users.set(key, [...(users.get(key) ?? []), { node: n.name, service: p.service }]);
      }
    }
    for (const [key, list] of users) {
      const distinct = [...new Set(list.map((u) => u.node))];
      if (distinct.length < 2) continue;
      const id = `${key}:${distinct.sort().join(',')}`;
      if (reported.has(id)) continue;
      reported.add(id);
      warnings.push({
        code: 'port-collision',
        severity: 'high',
        port: Number(key.split('/')[1]),
        node: distinct[0]!,
        message: `${distinct.join(' and ')} share ${address} and both need ${key} (${[...new Set(list.map((u) => u.service))].join(', ')}): only one can listen; ${list.some((u) => u.service === 'erlang-dist') ? 'give the nodes names with different numeric suffixes' : 'change one listener port'}`,
      });
    }
  }
}
