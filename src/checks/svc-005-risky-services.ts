import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

const RISKY: { proto: 'tcp' | 'udp'; ports: number[]; what: string }[] = [
  { proto: 'tcp', ports: [23], what: 'telnet (clear-text logins)' },
  { proto: 'tcp', ports: [21], what: 'FTP (clear-text logins)' },
  { proto: 'udp', ports: [69], what: 'TFTP (no authentication)' },
  { proto: 'tcp', ports: [111], what: 'rpcbind/portmapper' },
  { proto: 'udp', ports: [111], what: 'rpcbind/portmapper (UDP amplification)' },
  { proto: 'tcp', ports: [512, 513, 514], what: 'r-services (rexec/rlogin/rsh)' },
  { proto: 'tcp', ports: [4369], what: 'Erlang port mapper (epmd): lists the node names and distribution ports' },
  { proto: 'tcp', ports: [2375], what: 'Docker API without TLS (root on the host)' },
  { proto: 'udp', ports: [161], what: 'SNMP' },
  { proto: 'tcp', ports: [5900, 5901], what: 'VNC' },
];

/** All interfaces, or an address outside the private (RFC 1918, ULA), loopback and link-local ranges. */
function isPublic(address: string): boolean {
  const a = address.replace(/^::ffff:/, '');
  if (a === '0.0.0.0' || a === '::') return true;
  if (/^(10\.|127\.|192\.168\.|169\.254\.)/.test(a) || /^172\.(1[6-9]|2\d|3[01])\./.test(a)) return false;
  if (/^(::1$|f[cd][0-9a-f]{0,2}:|fe[89ab][0-9a-f]?:)/i.test(a)) return false;
  return true;
}

export default defineCheck({
  meta: {
    id: 'SVC-005',
    name: 'risky-services',
    title: 'Known-risky services listen on the network',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.listeners', 'sys.brokers'],
    description:
      'Flags listening sockets on non-loopback addresses that belong to services with a record of abuse: telnet, FTP, TFTP, rpcbind, r-services, SNMP, VNC, an unencrypted Docker API, epmd, and the Erlang distribution and cluster RPC ports of EMQX (those its config implies from the node name, or held by a beam.smp process) on a public address — all interfaces, or an address outside the private, loopback and link-local ranges. Anyone who reaches the distribution port and knows the cookie runs code on the node.',
    remediation:
      'Uninstall or disable these services; for EMQX bind the distribution to the cluster network (`node.dist_listen` / `cluster.proto_dist = inet_tls`), set a strong `node.cookie`, and firewall 4369/4370+N/5370+N to cluster peers only. A default-deny ruleset from `mqtt-warden ports --cluster cluster.yaml --for emqx1@10.0.0.11 --render nftables` (Mosquitto: `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables`) opens only the planned broker ports and drops everything else.',
    references: ['https://www.erlang.org/doc/system/distributed.html', 'https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html'],
  },
  judge({ 'sys.listeners': l, 'sys.brokers': b }) {
    const clusterPorts = new Map(b.declared.filter((d) => d.kind === 'erlang-dist' || d.kind === 'cluster-rpc').map((d) => [d.port, d.kind]));
    const out: Verdict[] = [];
    for (const s of l.sockets.filter((x) => !x.loopback)) {
      const label = `${s.proto} ${s.family === 6 ? `[${s.address}]` : s.address}:${s.port}${s.processes.length ? ` (${s.processes.map((p) => `${p.name}/${p.pid}`).join(', ')})` : ''}`;
      const r = RISKY.find((x) => x.proto === s.proto && x.ports.includes(s.port));
      if (r) out.push({ status: 'FAIL', message: `${label}: ${r.what}`, evidence: { socket: s } });
      else if (s.proto === 'tcp' && isPublic(s.address) && (clusterPorts.has(s.port) || (s.processes.some((p) => p.name === 'beam.smp') && s.port >= 4370 && s.port < 4470))) {
        const what = clusterPorts.get(s.port) === 'cluster-rpc' ? 'EMQX cluster RPC port' : 'Erlang distribution port of EMQX';
        out.push({ status: 'FAIL', message: `${label}: ${what} on ${s.wildcard ? 'all interfaces' : 'a public address'}`, evidence: { socket: s } });
      }
    }
    if (out.length) return out;
    if (!l.sockets.length && l.problems.length) return { status: 'ERROR', message: `socket tables unreadable: ${l.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}` };
    // A table read only in part may hide the risky service: no PASS then.
    if (l.problems.length) return { status: 'SKIP', message: `no known-risky service among the ${l.sockets.filter((x) => !x.loopback).length} non-loopback listener(s) read, but the socket tables were not read completely: ${l.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}` };
    return { status: 'PASS', message: `none of the ${l.sockets.filter((x) => !x.loopback).length} non-loopback listener(s) is a known-risky service`, evidence: { checked: RISKY.map((r) => `${r.proto}/${r.ports.join(',')}`) } };
  },
});
