import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { judgedByPortPlan } from './system-helpers.js';

function isLoopbackBind(bind: string | undefined): boolean {
  return Boolean(bind && /^(127\.|::1$|localhost$|lo$)/.test(bind));
}

export default defineCheck({
  meta: {
    id: 'SVC-004',
    name: 'listener-wider-than-configured',
    title: 'A broker listener meant for loopback listens on all interfaces',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.listeners', 'sys.brokers'],
    uses: ['ports.check'],
    description:
      'Compares each broker listener the config binds to loopback (`listener 1883 127.0.0.1`, or Mosquitto 2\'s implicit loopback-only listener) with the socket actually listening on that port. Mosquitto 2.0 websockets listeners ignore the address and bind all interfaces (upstream issue #3045), and a second config or an old `port` directive can widen a listener: the kernel\'s socket table is the truth. Related: SVC-052 and SVC-054. With a port plan (`audit --port-plan FILE`) a widened socket the plan sees is left to them (SVC-054: planned for loopback or a restricted audience but open to all, without the planned firewall; SVC-052: not in the plan), so one socket gives one finding; this check then says SKIP for that listener and names the socket.',
    remediation:
      'For Mosquitto websockets listeners give the interface name (`listener 8083 lo`) instead of an address, remove stray `port`/`bind_address` directives, and restart; confirm with `ss -ltnp`. Firewall the port meanwhile: in the ruleset of `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables` a listener configured for 127.0.0.1 is reachable from no other host, and on the host, `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it.',
    references: ['https://github.com/eclipse/mosquitto/issues/3045', 'https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'sys.listeners': l, 'sys.brokers': b, 'ports.check': plan }) {
    const local = b.declared.filter((d) => isLoopbackBind(d.bind));
    if (!local.length) return { status: 'SKIP', message: 'no broker listener is configured for loopback only' };
    return local.map((d): Verdict => {
      const socks = l.sockets.filter((s) => s.proto === 'tcp' && s.port === d.port);
      const where = d.location ? `${d.location.file}:${d.location.line}` : 'the default listener';
      const allWide = socks.filter((s) => s.wildcard || !s.loopback);
      const wide = allWide.filter((s) => !judgedByPortPlan(plan, s));
      const toPlan = allWide.filter((s) => !wide.includes(s));
      const evidence = {
        declared: d,
        sockets: socks.map((s) => ({ address: s.address, port: s.port, processes: s.processes })),
        ...(plan && { portPlan: plan.source, leftToPortPlan: toPlan.map((s) => `tcp/${s.family === 6 ? `[${s.address}]` : s.address}:${s.port}`) }),
      };
      const common = { evidence, key: `${d.product}:${d.port}`, ...(d.location && { location: d.location }) };
      const configured = `${d.product} listener ${d.port} is configured for ${d.bind} (${where})`;
      if (wide.length) {
        return { status: 'FAIL', message: `${configured} but listens on ${wide.map((s) => s.address).join(', ')}`, ...common };
      }
      if (toPlan.length) {
        const planned = plan?.planned.some((p) => p.proto === 'tcp' && p.port === d.port);
        return {
          status: 'SKIP',
          message: `${configured} and listens on ${toPlan.map((s) => s.address).join(', ')}: judged against the port plan instead (${planned ? 'SVC-054: the plan lists the port' : 'SVC-052: the plan does not list the port'})`,
          ...common,
        };
      }
      if (!socks.length) return { status: 'PASS', message: `${d.product} listener ${d.port} (${d.bind}) is not listening at all`, ...common };
      return { status: 'PASS', message: `${d.product} listener ${d.port} listens on loopback only, as configured`, ...common };
    });
  },
});
