/**
 * The firewall of one host, derived from the plan: which ports to accept from
 * which sets. Every renderer (nftables, iptables, ufw, firewalld) starts here.
 */
import { normalizeNetworks, parseNetwork, type Network } from './net.js';
import { PlanError } from './plan.js';
import type { Audience, NodePlan, PortPlan } from './types.js';

export type RuleAudience = Exclude<Audience, 'local'>;

export interface FirewallRule {
  port: number;
  proto: 'tcp' | 'udp';
  /** 'any' alone when anyone may connect; else the sets that may. */
  audiences: RuleAudience[];
  /** Short description (services and nodes), safe for firewall comments. */
  comment: string;
}

export interface FirewallSpec {
  /** The nodes on this host. */
  nodes: string[];
  addresses: string[];
  rules: FirewallRule[];
  sets: Record<'peers' | 'clients' | 'admins', Network[]>;
}

export { DEFAULT_FIREWALL_OPTIONS, type FirewallOptions } from './firewall-options.js';

/** Letters, digits and a few separators: what every firewall accepts in a comment without quoting trouble. */
export function safeComment(s: string): string {
  return s.replace(/[^A-Za-z0-9 ._:@()+/,-]/g, '_').slice(0, 120);
}

/** Pick the nodes of one host: by node name or address; by default the only host of the plan. */
export function hostNodes(plan: PortPlan, selector?: string): NodePlan[] {
  const serving = plan.nodes.filter((n) => n.ports.length);
  if (selector) {
    const byName = plan.nodes.find((n) => n.name === selector);
    let addresses: string[];
    if (byName) addresses = byName.addresses;
    else {
      let text: string;
      try {
        text = parseNetwork(selector, '--for').text;
      } catch {
        throw new PlanError(`--for ${selector}: no such node (nodes: ${plan.nodes.map((n) => n.name).join(', ')})`);
      }
      addresses = [text];
    }
    const nodes = byName && !addresses.length ? [byName] : serving.filter((n) => n.addresses.some((a) => addresses.includes(a)));
    if (!nodes.length) throw new PlanError(`--for ${selector}: no planned node at ${addresses.join(', ') || selector}`);
    return nodes;
  }
  const hosts = new Set(serving.map((n) => n.addresses.join(',') || n.name));
  if (hosts.size > 1) {
    throw new PlanError(`the plan covers ${hosts.size} hosts: choose one with --for <node name or address> (nodes: ${serving.map((n) => n.name).join(', ')})`);
  }
  return serving;
}

function mergeAudiences(list: RuleAudience[]): RuleAudience[] {
  if (list.includes('any')) return ['any'];
  const order: RuleAudience[] = ['peers', 'clients', 'admins'];
  return order.filter((a) => list.includes(a));
}

export function firewallSpec(plan: PortPlan, selector?: string): FirewallSpec {
  const nodes = hostNodes(plan, selector);
  const byPort = new Map<string, { port: number; proto: 'tcp' | 'udp'; audiences: RuleAudience[]; what: string[] }>();
  for (const n of nodes) {
    for (const p of n.ports) {
      if (p.audience === 'local') continue;
      const key = `${p.proto}/${p.port}`;
      const entry = byPort.get(key) ?? { port: p.port, proto: p.proto, audiences: [], what: [] };
      entry.audiences.push(p.audience);
      const what = p.service === 'ssh' ? 'ssh' : nodes.length > 1 ? `${p.service} ${n.name}` : p.service;
      if (!entry.what.includes(what)) entry.what.push(what);
      byPort.set(key, entry);
    }
  }
  const rules = [...byPort.values()]
    .sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto))
    .map((e) => ({ port: e.port, proto: e.proto, audiences: mergeAudiences(e.audiences), comment: safeComment(e.what.join(', ')) }));
  const set = (list: string[]) => normalizeNetworks(list.map((s) => parseNetwork(s, 'plan')));
  return {
    nodes: nodes.map((n) => n.name),
    addresses: [...new Set(nodes.flatMap((n) => n.addresses))],
    rules,
    sets: { peers: set(plan.networks.peers), clients: set(plan.networks.clients), admins: set(plan.networks.admins) },
  };
}
