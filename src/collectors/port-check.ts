/**
 * The system-scope fact of the port check: the port plan of this host against
 * the sockets really listening (/proc/net) and the live nftables table.
 * Used by `mqtt-warden ports --check` and by `audit --port-plan`.
 */
import { networkInterfaces } from 'node:os';
import type { FactMap, PortCheck, PortCheckPlanned } from '../core/facts.js';
import { collect } from '../core/collect.js';
import { readListeningSockets, type SocketTable } from './system/sockets.js';
import { firewallSpec, hostNodes, type FirewallOptions } from '../ports/spec.js';
import { renderNftables } from '../ports/render/nftables.js';
import { parseNetwork } from '../ports/net.js';
import { PlanError } from '../ports/plan.js';
import type { PortPlan } from '../ports/types.js';
import { diffTable, localNft, type NftRunner } from '../firewall/nft.js';

export interface PortCheckOptions {
  plan: PortPlan;
  /** Where the plan came from, for the report. */
  source: string;
  /** Node name or address of this host in the plan; default: found from the local interface addresses. */
  for?: string;
  firewall: FirewallOptions;
  /** Filesystem root ('/' = this host; else sockets are read offline and the firewall is not inspected). */
  root: string;
  nft?: NftRunner;
  /** Injected for tests; default readListeningSockets(root). */
  readSockets?: (root: string) => Promise<SocketTable>;
  /** Injected for tests; default the addresses of this host's interfaces. */
  localAddresses?: string[];
}

/** This host's interface addresses, canonical. */
export function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined)
    .map((i) => parseNetwork(i.address.replace(/%.*$/, ''), 'interface').text);
}

/** The plan's selector for this host: --for, else the planned node whose address is one of ours. */
export function selectThisHost(plan: PortPlan, given: string | undefined, local: string[]): string | undefined {
  if (given) return given;
  const serving = plan.nodes.filter((n) => n.ports.length);
  const mine = serving.find((n) => n.addresses.some((a) => local.includes(a)));
  if (mine) return mine.name;
  if (new Set(serving.map((n) => n.addresses.join(',') || n.name)).size === 1) return undefined;
  throw new PlanError(`none of this host's addresses (${local.filter((a) => !a.startsWith('127.') && a !== '::1').join(', ') || 'none'}) belongs to a planned node: give --for <node name or address>`);
}

export async function collectPortCheck(opts: PortCheckOptions): Promise<PortCheck> {
  const selector = selectThisHost(opts.plan, opts.for, opts.localAddresses ?? ownAddresses());
  const nodes = hostNodes(opts.plan, selector);
  const planned = new Map<string, PortCheckPlanned>();
  for (const n of nodes) {
    for (const p of n.ports) {
      const key = `${p.proto}/${p.port}`;
      const e = planned.get(key);
      if (e) {
        if (!e.nodes.includes(n.name)) e.nodes.push(n.name);
        // The widest audience wins (loopback-only < a set < anyone).
        if (e.audience === 'local' || p.audience === 'any') e.audience = p.audience;
      } else planned.set(key, { port: p.port, proto: p.proto, service: p.service, audience: p.audience, nodes: [n.name] });
    }
  }
  const table = await (opts.readSockets ?? readListeningSockets)(opts.root);
  const live = opts.root === '/';
  let firewall: PortCheck['firewall'];
  if (!live) {
    firewall = { tested: false, reason: `offline root ${opts.root}: the live firewall is not inspected` };
  } else {
    const rendered = renderNftables(firewallSpec(opts.plan, selector), opts.firewall, false);
    try {
      const d = await diffTable(opts.nft ?? localNft(), rendered, opts.firewall.name);
      firewall = { tested: true, table: `inet ${opts.firewall.name}`, state: d.equal ? 'equal' : d.live === undefined ? 'absent' : 'differs', ...(!d.equal && d.live !== undefined && { diff: d.diff }) };
    } catch (e) {
      firewall = { tested: false, error: true, reason: `cannot compare the live firewall: ${(e as Error).message}` };
    }
  }
  return {
    source: opts.source,
    nodes: nodes.map((n) => n.name),
    planned: [...planned.values()].sort((a, b) => a.port - b.port),
    networks: { peers: [...opts.plan.networks.peers], clients: [...opts.plan.networks.clients], admins: [...opts.plan.networks.admins] },
    sockets: table.sockets.map((s) => ({
      proto: s.proto,
      family: s.family,
      address: s.address,
      port: s.port,
      wildcard: s.wildcard,
      loopback: s.loopback,
      processes: s.processes.map((p) => `${p.name}[${p.pid}]`),
    })),
    socketProblems: table.problems.map((p) => `${p.file}: ${p.message}`),
    firewall,
  };
}

/** The fact for collectSystemFacts: 'ports.check' collected, or skipped when no plan was given. */
export async function collectPortCheckFacts(opts: PortCheckOptions | undefined): Promise<FactMap> {
  if (!opts) return { 'ports.check': { state: 'skipped', reason: 'no port plan given (audit --port-plan FILE, or mqtt-warden ports --check)' } };
  const fact = await collect(() => collectPortCheck(opts));
  // Some socket tables unreadable: a listener may be missing from what was read, so "every listener is planned" cannot be said.
  if (fact.state === 'ok' && fact.value.socketProblems.length) return { 'ports.check': { ...fact, partial: `part of the socket tables could not be read (${fact.value.socketProblems.join('; ')})` } };
  return { 'ports.check': fact };
}
