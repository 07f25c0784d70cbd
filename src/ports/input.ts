/**
 * Planner input from the command line (`--node name@address`) and from cluster
 * files (YAML or JSON, validated with zod). Config files (emqx.conf,
 * mosquitto.conf) come in through ./config-input.ts.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { aliasBombMessage, isAliasBomb, MAX_YAML_ALIASES } from '../config/located-yaml.js';
import { parseNetwork, NetworkError } from './net.js';
import { AUDIENCES, LISTENER_TYPES, type ListenerInput, type NodeInput, type PlanInput } from './types.js';

export class InputError extends Error {}

const port = z.number().int().min(1).max(65535);

/** `type:port` or `type:address:port` (IPv6 in brackets), e.g. `ssl:8883`, `tcp:127.0.0.1:1883`, `dashboard-https:[::1]:18084`. */
export function parseListenerSpec(spec: string, where: string): ListenerInput {
  const m = /^([a-z-]+):(?:(\[[0-9A-Fa-f:.]+\]|[0-9.]+):)?(\d+)$/.exec(spec.trim());
  const type = m?.[1] as ListenerInput['type'] | undefined;
  if (!m || !type || !(LISTENER_TYPES as readonly string[]).includes(type)) {
    throw new InputError(`${where}: ${JSON.stringify(spec)} is not TYPE:PORT or TYPE:ADDRESS:PORT with TYPE one of ${LISTENER_TYPES.join(', ')}`);
  }
  const p = Number(m[3]);
  if (p < 1 || p > 65535) throw new InputError(`${where}: port ${m[3]} out of range`);
  return { type, port: p, ...(m[2] && { bind: m[2].replace(/^\[|\]$/g, '') }), source: where };
}

const listenerSchema = z.union([
  z.string(),
  z.strictObject({
    type: z.enum(LISTENER_TYPES),
    port,
    name: z.string().optional(),
    bind: z.string().optional(),
    enabled: z.boolean().optional(),
    audience: z.enum(AUDIENCES).optional(),
  }),
]);

const rpcSchema = z.strictObject({
  port_discovery: z.enum(['stateless', 'manual']).default('stateless'),
  server_port: port.optional(),
});

const nodeSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['emqx', 'mosquitto', 'nanomq']).default('emqx'),
  addresses: z.array(z.string()).optional(),
  address: z.string().optional(),
  listeners: z.array(listenerSchema).optional(),
  rpc: rpcSchema.optional(),
  proto_dist: z.enum(['inet_tcp', 'inet6_tcp', 'inet_tls', 'inet6_tls']).optional(),
  epmd: z.boolean().optional(),
});

export const clusterFileSchema = z.strictObject({
  /** Defaults for every EMQX node. */
  listeners: z.array(listenerSchema).optional(),
  rpc: rpcSchema.optional(),
  proto_dist: z.enum(['inet_tcp', 'inet6_tcp', 'inet_tls', 'inet6_tls']).optional(),
  /** `any`: MQTT open to everyone, said explicitly; an explicit empty list is refused (it used to mean everyone). */
  clients: z
    .union([z.literal('any'), z.array(z.string())], { error: 'a list of client networks (CIDR or address), or `any` to open MQTT to everyone' })
    .optional(),
  admins: z.array(z.string()).default([]),
  peers: z.array(z.string()).default([]),
  ssh: z.union([port, z.literal(false)]).optional(),
  nodes: z.array(nodeSchema).min(1),
});
export type ClusterFile = z.infer<typeof clusterFileSchema>;

function listeners(list: z.infer<typeof listenerSchema>[], where: string): ListenerInput[] {
  return list.map((l, i) => {
    const at = `${where}listeners[${i}]`;
    return typeof l === 'string' ? { ...parseListenerSpec(l, at), source: `${at} ${l.trim()}` } : { ...l, source: at };
  });
}

/** Parse a cluster file; errors name the file and the path (and line for YAML syntax errors). */
export function parseClusterFile(text: string, file: string): Omit<PlanInput, 'ssh'> & { ssh?: number | false } {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true, maxAliasCount: MAX_YAML_ALIASES }); // YAML is a superset of JSON
  } catch (e) {
    if (isAliasBomb(e)) throw new InputError(aliasBombMessage(file));
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new InputError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
    }
    throw e;
  }
  const r = clusterFileSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new InputError(`${file}: ${path || '(top level)'}: ${issue.message}`);
  }
  const c = r.data;
  const clients = c.clients === 'any' ? ['any'] : c.clients;
  if (clients && !clients.length) {
    throw new InputError(`${file}: clients: an empty list (it used to mean everyone): list the client networks, or write \`clients: any\` to open MQTT to everyone`);
  }
  for (const key of ['clients', 'admins', 'peers'] as const) {
    const list = key === 'clients' ? (c.clients === 'any' ? [] : (c.clients ?? [])) : c[key];
    for (const [i, n] of list.entries()) {
      try {
        parseNetwork(n, `${file}: ${key}[${i}]`);
      } catch (e) {
        if (e instanceof NetworkError) throw new InputError(`${e.message}${key === 'clients' && n.trim() === 'any' ? ' (`clients: any` opens MQTT to everyone; it is not a list entry)' : ''}`);
        throw e;
      }
    }
  }
  const nodes: NodeInput[] = c.nodes.map((n, i) => {
    const where = `${file}: nodes[${i}]`;
    const own = n.listeners ? listeners(n.listeners, `${where}.`) : n.kind === 'emqx' && c.listeners ? listeners(c.listeners, `${file}: `) : undefined;
    const rpc = n.rpc ?? c.rpc;
    const addresses = [...(n.addresses ?? []), ...(n.address ? [n.address] : [])];
    return {
      name: n.name,
      kind: n.kind,
      ...(addresses.length && { addresses }),
      ...(own && { listeners: own }),
      ...(rpc && { rpc: { portDiscovery: rpc.port_discovery, ...(rpc.server_port !== undefined && { serverPort: rpc.server_port }) } }),
      ...((n.proto_dist ?? c.proto_dist) && { protoDist: n.proto_dist ?? c.proto_dist }),
      ...(n.epmd !== undefined && { epmd: n.epmd }),
      source: where,
    };
  });
  return { nodes, clients: clients ?? [], admins: c.admins, peers: c.peers, ...(c.ssh !== undefined && { ssh: c.ssh }) };
}

/** `--node emqx1@10.0.0.11` (EMQX); `--node emqx1@host=10.0.0.11,fd00::11` gives the addresses explicitly. */
export function parseNodeArg(arg: string, i: number): NodeInput {
  const [name, addrs] = arg.split('=', 2) as [string, string | undefined];
  const addresses = addrs?.split(',').map((s) => s.trim()).filter(Boolean);
  return { name: name.trim(), kind: 'emqx', ...(addresses?.length && { addresses }), source: `--node #${i + 1}` };
}
