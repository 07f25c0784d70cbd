import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { judgedByPortPlan } from './system-helpers.js';

/** Services a server normally listens for that are not the broker's business. */
const ORDINARY: { proto: 'tcp' | 'udp'; port: number; what: string }[] = [
  { proto: 'tcp', port: 22, what: 'SSH' },
  { proto: 'udp', port: 68, what: 'DHCP client' },
  { proto: 'udp', port: 546, what: 'DHCPv6 client' },
  { proto: 'udp', port: 323, what: 'chrony' },
];

export default defineCheck({
  meta: {
    id: 'SVC-003',
    name: 'unexpected-listeners',
    title: 'Sockets listen on the network that no broker config declares',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.listeners', 'sys.brokers'],
    uses: ['ports.check'],
    description:
      'Lists the TCP and UDP sockets listening on non-loopback addresses (`/proc/net/{tcp,tcp6,udp,udp6}`, mapped to processes through `/proc/PID/fd` on the live host) and compares them with the listeners the broker configs declare (Mosquitto `listener`/`port`, plus SSH and DHCP clients, which are expected on a server). Everything else is a service to justify or disable: each one is attack surface next to the broker. A broker process listening on a port its config does not declare is reported too. Related: SVC-052 and SVC-054. With a port plan (`audit --port-plan FILE`) the sockets the plan judges are left to them (SVC-052: listening but not planned; SVC-054: planned for a restricted audience but open to all), so one socket gives one finding; this check then judges only the sockets the plan could not see, and its PASS lists the ones it left to the plan.',
    remediation:
      'Stop and disable what is not needed (`systemctl disable --now SERVICE`), bind what is needed to loopback or the one interface it serves, and firewall the rest (CFG-002). `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables` prints a default-deny ruleset that opens only the broker\'s listeners to your client networks and SSH to your admin networks (EMQX: `--emqx-config /etc/emqx/emqx.conf` instead of `--mosquitto-config`); on the host, `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it.',
    references: ['https://www.cisecurity.org/controls/network-infrastructure-management', 'https://man7.org/linux/man-pages/man5/proc.5.html'],
  },
  judge({ 'sys.listeners': l, 'sys.brokers': b, 'ports.check': plan }) {
    const declared = new Set(b.declared.map((d) => d.port));
    const network = l.sockets.filter((s) => !s.loopback);
    const toPlan = network.filter((s) => judgedByPortPlan(plan, s));
    const exposed = network.filter((s) => !toPlan.includes(s));
    const name = (s: (typeof network)[number]) => `${s.proto}/${s.family === 6 ? `[${s.address}]` : s.address}:${s.port}`;
    const leftToPlan = toPlan.map(name);
    const out: Verdict[] = [];
    for (const s of exposed) {
      const procs = s.processes.map((p) => `${p.name}/${p.pid}`).join(', ');
      const label = `${s.proto}${s.family === 6 ? '6' : ''} ${s.family === 6 ? `[${s.address}]` : s.address}:${s.port}${procs ? ` (${procs})` : ''}`;
      if (declared.has(s.port) || ORDINARY.some((o) => o.proto === s.proto && o.port === s.port) || s.processes.some((p) => p.name === 'sshd')) continue;
      const broker = s.processes.some((p) => p.name === 'mosquitto' || p.name === 'beam.smp');
      out.push({
        status: 'FAIL',
        ...(broker && { severity: 'high' as const }),
        message: broker ? `${label}: the broker listens on a port its config does not declare` : `${label} listens on the network and is not declared by a broker config`,
        evidence: { socket: s },
        key: name(s),
      });
    }
    const problems = l.problems.map((p) => `${p.file}: ${p.message}`);
    if (!out.length && problems.length && !l.sockets.length) return { status: 'ERROR', message: `socket tables unreadable: ${problems.join('; ')}` };
    if (out.length) return out;
    // A table read only in part may hide the listener to report: no PASS then.
    if (problems.length) return { status: 'SKIP', message: `no undeclared listener among the ${network.length} non-loopback socket(s) read, but the socket tables were not read completely: ${problems.join('; ')}`, evidence: { problems } };
    const planEvidence = plan ? { portPlan: plan.source, leftToPortPlan: leftToPlan } : {};
    if (!exposed.length && leftToPlan.length) {
      return { status: 'SKIP', message: `every non-loopback listener is judged against the port plan instead (SVC-052, SVC-054): ${leftToPlan.join(', ')}`, evidence: planEvidence };
    }
    const planNote = leftToPlan.length ? `; ${leftToPlan.length} more judged against the port plan by SVC-052/SVC-054, not here: ${leftToPlan.join(', ')}` : '';
    return {
      status: 'PASS',
      message: `${exposed.length} non-loopback listener(s), all declared or expected${planNote}`,
      evidence: { exposed: exposed.map((s) => `${s.proto}/${s.address}:${s.port}`), declared: [...declared], ...planEvidence },
    };
  },
});
