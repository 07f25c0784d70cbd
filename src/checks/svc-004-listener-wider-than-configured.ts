import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

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
    description:
      'Compares each broker listener the config binds to loopback (`listener 1883 127.0.0.1`, or Mosquitto 2\'s implicit loopback-only listener) with the socket actually listening on that port. Mosquitto 2.0 websockets listeners ignore the address and bind all interfaces (upstream issue #3045), and a second config or an old `port` directive can widen a listener: the kernel\'s socket table is the truth.',
    remediation:
      'For Mosquitto websockets listeners give the interface name (`listener 8083 lo`) instead of an address, remove stray `port`/`bind_address` directives, and restart; confirm with `ss -ltnp`. Firewall the port meanwhile.',
    references: ['https://github.com/eclipse/mosquitto/issues/3045', 'https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'sys.listeners': l, 'sys.brokers': b }) {
    const local = b.declared.filter((d) => isLoopbackBind(d.bind));
    if (!local.length) return { status: 'SKIP', message: 'no broker listener is configured for loopback only' };
    return local.map((d): Verdict => {
      const socks = l.sockets.filter((s) => s.proto === 'tcp' && s.port === d.port);
      const where = d.location ? `${d.location.file}:${d.location.line}` : 'the default listener';
      const wide = socks.filter((s) => s.wildcard || !s.loopback);
      const evidence = { declared: d, sockets: socks.map((s) => ({ address: s.address, port: s.port, processes: s.processes })) };
      const location = d.location ? { location: d.location } : {};
      if (wide.length) {
        return { status: 'FAIL', message: `${d.product} listener ${d.port} is configured for ${d.bind} (${where}) but listens on ${wide.map((s) => s.address).join(', ')}`, evidence, ...location };
      }
      if (!socks.length) return { status: 'PASS', message: `${d.product} listener ${d.port} (${d.bind}) is not listening at all`, evidence, ...location };
      return { status: 'PASS', message: `${d.product} listener ${d.port} listens on loopback only, as configured`, evidence, ...location };
    });
  },
});
