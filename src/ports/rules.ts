/**
 * EMQX port rules. Sources: emqx/ekka `src/ekka_dist.erl` (distribution port =
 * 4370 + the digits at the end of the node's short name, modulo 60000; `remsh…`
 * nodes listen on no port) and emqx `emqx_rpc`/gen_rpc (`rpc.port_discovery`:
 * `stateless` → 5370 + the same offset, `manual` → `rpc.server_port`, default 5369).
 * See HARDENING-FACTS.md section 1.
 */

export const DIST_BASE_PORT = 4370;
export const RPC_BASE_PORT = 5370;
export const RPC_MANUAL_DEFAULT_PORT = 5369;
export const EPMD_PORT = 4369;
export const OFFSET_MODULO = 60000;

export interface NodeName {
  /** The part before `@`. */
  short: string;
  /** The part after `@` (host name or address). */
  host: string;
}

export class NodeNameError extends Error {}

/** Split and validate an Erlang node name `name@host`. */
export function parseNodeName(name: string, where = 'node name'): NodeName {
  const at = name.indexOf('@');
  if (at <= 0 || at === name.length - 1) throw new NodeNameError(`${where}: ${JSON.stringify(name)} is not an Erlang node name (name@host)`);
  const short = name.slice(0, at);
  const host = name.slice(at + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(short)) throw new NodeNameError(`${where}: the name part of ${JSON.stringify(name)} may only hold letters, digits, '_' and '-'`);
  if (!/^[A-Za-z0-9_.:-]+$/.test(host)) throw new NodeNameError(`${where}: the host part of ${JSON.stringify(name)} is not a host name or address`);
  return { short, host };
}

/** The offset N of a node: the digits at the end of its short name, modulo 60000; none → 0. */
export function nodeOffset(name: string): number {
  const short = name.replace(/@.*$/, '');
  const m = /[0-9]+$/.exec(short);
  if (!m) return 0;
  // BigInt: a long digit run must not lose precision before the modulo (Erlang integers are unbounded).
  return Number(BigInt(m[0]) % BigInt(OFFSET_MODULO));
}

/** Whether the node only makes outgoing connections (remote shells: `remsh…`). */
export function isOutgoingOnly(name: string): boolean {
  return name.startsWith('remsh');
}

/** The Erlang distribution listen port of a node; 0 for outgoing-only nodes. */
export function distPort(name: string): number {
  if (isOutgoingOnly(name)) return 0;
  return DIST_BASE_PORT + nodeOffset(name);
}

export type RpcPortDiscovery = 'stateless' | 'manual';

/** The cluster RPC (gen_rpc) server port of a node. */
export function rpcPort(name: string, discovery: RpcPortDiscovery, serverPort = RPC_MANUAL_DEFAULT_PORT): number {
  return discovery === 'manual' ? serverPort : RPC_BASE_PORT + nodeOffset(name);
}
