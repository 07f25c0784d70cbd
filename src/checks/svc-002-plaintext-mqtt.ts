import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'SVC-002',
    name: 'plaintext-mqtt',
    title: 'Plaintext MQTT listener reachable',
    strategy: 'services',
    severity: 'medium',
    scope: 'host',
    intrusive: false,
    needs: ['mqtt.endpoints'],
    description:
      'Looks at every probed endpoint of the host, and at the standard MQTT ports (1883, 8883, 8083, 8084) the port scan found open even when they were not probed: MQTT over plain TCP (`mqtt://`) or plain WebSocket (`ws://`) that answers a CONNECT sends credentials and messages in clear text. It is worse when the broker also offers TLS: the plaintext listener is then an unnecessary downgrade path around it.',
    remediation:
      'Remove plaintext listeners or bind them to loopback. Mosquitto: drop `listener 1883` (or `listener 1883 127.0.0.1`) and keep `listener 8883` with `certfile`/`keyfile`; for WebSockets use `protocol websockets` only on a TLS listener. EMQX: `listeners.tcp.default.enable = false` (or `bind = "127.0.0.1:1883"`) and `listeners.ws.default.enable = false`, keeping `listeners.ssl.default`/`listeners.wss.default`.',
    references: [
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html',
    ],
  },
  judge({ 'mqtt.endpoints': { endpoints, mqttPortsOpen } }, ctx) {
    const answering = endpoints.filter((e) => e.probe.state === 'ok');
    const isPlain = (scheme: string) => scheme === 'mqtt' || scheme === 'ws';
    const plain = answering.filter((e) => isPlain(e.endpoint.scheme)).map((e) => e.endpoint.uri);
    const secure = answering.filter((e) => !isPlain(e.endpoint.scheme)).map((e) => e.endpoint.uri);
    // Standard MQTT ports the scan found open but nobody probed (explicit targets elsewhere) still count.
    for (const { port, tls } of mqttPortsOpen) {
      if (!endpoints.some((e) => e.endpoint.port === port)) (tls ? secure : plain).push(`port ${port} (open, not probed)`);
    }
    if (!plain.length && !secure.length) {
      return { status: 'SKIP', message: endpoints.length ? 'no probed endpoint answered MQTT' : 'no MQTT endpoint was probed on this host' };
    }
    const plainFailed = endpoints.filter((e) => e.probe.state !== 'ok' && isPlain(e.endpoint.scheme));
    const evidence = { plaintext: plain, tls: secure, vantage: ctx.loopback ? 'loopback' : 'network' };
    // Seen from loopback, a listener may well be bound to loopback only: one level lower.
    const note = ctx.loopback ? ' (seen from loopback: check that it is not bound to other interfaces)' : '';
    if (!plain.length) {
      if (plainFailed.length) {
        return { status: 'SKIP', message: `inconclusive: the probe of ${plainFailed.map((e) => e.endpoint.uri).join(', ')} failed, so plaintext MQTT cannot be ruled out`, evidence };
      }
      return { status: 'PASS', message: `MQTT answers only over TLS: ${secure.join(', ')}`, evidence };
    }
    if (secure.length) {
      return {
        status: 'FAIL',
        severity: ctx.loopback ? 'medium' : 'high',
        message: `plaintext MQTT (${plain.join(', ')}) answers next to TLS (${secure.join(', ')}): clients can bypass TLS${note}`,
        evidence,
      };
    }
    return { status: 'FAIL', severity: ctx.loopback ? 'low' : 'medium', message: `MQTT answers without TLS: ${plain.join(', ')}${note}`, evidence };
  },
});
