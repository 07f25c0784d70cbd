/** Fact builders for the port-plan and Erlang exposure checks (SVC-050…055, ACC-070). */
import type { DistProbe, ErlangExposure, PortCheck, PortCheckSocket } from '../../src/core/facts.js';

export function erlangNode(node: string, cookie: 'untested' | 'accepted' | 'refused' = 'untested'): DistProbe {
  return {
    state: 'erlang',
    status: 'ok',
    node,
    version: 6,
    flags: 'd07df7fbd',
    cookie:
      cookie === 'untested'
        ? { tested: false, reason: 'intrusive check: run with --intrusive to test the default cookie' }
        : { tested: true, accepted: cookie === 'accepted', detail: cookie },
  };
}

export function exposure(dist: Partial<Record<number, DistProbe>> = {}, epmd: ErlangExposure['epmd']['result'] = { state: 'closed' }): ErlangExposure {
  const ports = [4370, 4371, 4372, 4373, ...Object.keys(dist).map(Number)];
  return {
    host: '203.0.113.10',
    epmd: { port: 4369, result: epmd },
    dist: [...new Set(ports)].map((port) => ({ port, source: 'default' as const, result: dist[port] ?? { state: 'closed' as const } })),
    cookieTested: Object.values(dist).some((d) => d?.state === 'erlang' && d.cookie.tested),
  };
}

export function sock(proto: 'tcp' | 'udp', port: number, address = '0.0.0.0', processes: string[] = []): PortCheckSocket {
  const family = address.includes(':') ? 6 : 4;
  return { proto, family, address, port, wildcard: address === '0.0.0.0' || address === '::', loopback: address.startsWith('127.') || address === '::1', processes };
}

/** emqx1 planned with dist/RPC for peers, 8883 for clients, 18084 for admins, 1883 loopback only; all listening as planned, firewall live. */
export function portCheck(over: Partial<PortCheck> = {}): PortCheck {
  return {
    source: 'cluster.yaml',
    nodes: ['emqx1@10.0.0.11'],
    planned: [
      { port: 1883, proto: 'tcp', service: 'mqtt', audience: 'local', nodes: ['emqx1@10.0.0.11'] },
      { port: 4371, proto: 'tcp', service: 'erlang-dist', audience: 'peers', nodes: ['emqx1@10.0.0.11'] },
      { port: 5371, proto: 'tcp', service: 'cluster-rpc', audience: 'peers', nodes: ['emqx1@10.0.0.11'] },
      { port: 8883, proto: 'tcp', service: 'mqtts', audience: 'clients', nodes: ['emqx1@10.0.0.11'] },
      { port: 18084, proto: 'tcp', service: 'dashboard-https', audience: 'admins', nodes: ['emqx1@10.0.0.11'] },
    ],
    networks: { peers: ['10.0.0.11', '10.0.0.12', '10.0.0.13'], clients: ['10.0.0.0/16'], admins: ['192.168.1.0/24'] },
    sockets: [sock('tcp', 1883, '127.0.0.1'), sock('tcp', 4371, '10.0.0.11'), sock('tcp', 5371, '10.0.0.11'), sock('tcp', 8883), sock('tcp', 18084, '10.0.0.11')],
    socketProblems: [],
    firewall: { tested: true, table: 'inet mqtt_warden', state: 'equal' },
    ...over,
  };
}
