import { defineCheck } from '../core/check.js';
import type { PortService } from '../core/facts.js';
import { interfaceName } from './mgmt-util.js';

const SENSITIVE: Partial<Record<PortService, string>> = {
  'dashboard-http': 'management dashboard / HTTP API (plain HTTP)',
  'dashboard-https': 'management dashboard / HTTP API (HTTPS)',
  epmd: 'Erlang port mapper (epmd)',
  'erlang-dist': 'Erlang distribution (cluster)',
  'cluster-rpc': 'cluster RPC (gen_rpc)',
};

export default defineCheck({
  meta: {
    id: 'SVC-001',
    name: 'management-ports-reachable',
    title: 'Management and cluster ports answer',
    strategy: 'services',
    severity: 'high',
    scope: 'host',
    intrusive: false,
    needs: ['net.ports'],
    uses: ['mgmt.http'],
    description:
      'TCP-connects to the standard MQTT, management and cluster ports (1883, 8883, 8083, 8084, 18083, 18084, 4369, 4370, 5370 by default) and lists which answer. The management probes (docs/management-probes.md) add what answers on the other management ports (NanoMQ HTTP 8081, Mosquitto `http_api` 9883, the dashboard and `http_api` ports of the configs, and on this machine the other TCP ports its broker processes listen on) and name the product and version behind each. The dashboard/HTTP API and the Erlang distribution and cluster RPC ports must not be reachable by clients: the distribution port with a known cookie means remote code execution on the node.',
    remediation:
      'Close what is not needed and firewall the rest: the dashboard (EMQX `dashboard.listeners.http.bind`, 18083) only from admin networks, the Erlang distribution (4370 + node suffix) and cluster RPC (5370 + suffix, or `rpc.server_port`) only between cluster peers, epmd (4369) not at all on EMQX 5. Set a strong `node.cookie`. `mqtt-warden ports --cluster cluster.yaml --for emqx1@10.0.0.11 --render nftables` prints that firewall for one node of a cluster file (a single node: `mqtt-warden ports --emqx-config /etc/emqx/emqx.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables`); on the node `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it. When auditing from loopback, confirm exposure with the host audit or from another machine.',
    references: [
      'https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html',
      'https://www.erlang.org/doc/system/distributed.html',
    ],
  },
  judge({ 'net.ports': scan, 'mgmt.http': mgmt }, ctx) {
    const broken = scan.ports.filter((p) => p.state === 'error');
    if (broken.length) {
      // A port whose probe failed (name not resolved, out of sockets, deadline) was not observed.
      return {
        status: 'ERROR',
        message: `the scan of ${scan.host} failed on ${broken.length === scan.ports.length ? 'every port' : `ports ${broken.map((p) => p.port).join(', ')}`}: ${broken[0]!.detail ?? 'unknown error'}`,
      };
    }
    const open = scan.ports.filter((p) => p.state === 'open');
    const evidence = {
      open: open.map((p) => `${p.port}/${p.service}`),
      closed: scan.ports.filter((p) => p.state === 'closed').map((p) => p.port),
      noAnswer: scan.ports.filter((p) => p.state === 'filtered').map((p) => p.port),
      vantage: ctx.loopback ? 'loopback' : 'network',
    };
    // The management probes name what answers, and find management interfaces on ports the scan does not cover.
    const identified = (mgmt?.interfaces ?? []).filter((i) => i.product);
    const byPort = new Map(identified.map((i) => [i.port, i]));
    const extra = identified.filter((i) => !open.some((p) => p.port === i.port));
    const sensitive = open.filter((p) => SENSITIVE[p.service] || byPort.has(p.port));
    if (!sensitive.length && !extra.length) {
      return {
        status: 'PASS',
        message: open.length
          ? `only MQTT ports answer on ${scan.host}: ${evidence.open.join(', ')}`
          : `none of the ${scan.ports.length} standard ports answer on ${scan.host}`,
        evidence,
      };
    }
    const names = [
      ...sensitive.map((p) => (byPort.has(p.port) ? interfaceName(byPort.get(p.port)!) : `${p.port} (${SENSITIVE[p.service] ?? p.service})`)),
      ...extra.map((i) => interfaceName(i)),
    ].join(', ');
    if (extra.length) evidence.open.push(...extra.map((i) => `${i.port}/${i.product}-http`));
    return {
      status: 'FAIL',
      // From loopback this proves the service runs, not that it is exposed.
      severity: ctx.loopback ? 'low' : 'high',
      message: ctx.loopback
        ? `management/cluster ports answer on loopback: ${names}; check that they are not exposed beyond this host`
        : `management/cluster ports are reachable from this vantage point: ${names}`,
      evidence,
    };
  },
});
