import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { listenerAllowed } from '../config/policy.js';
import { nanomqPublicHost } from '../config/nanomq.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-071',
    name: 'nanomq-plaintext-listener-public',
    title: 'NanoMQ plaintext MQTT or WebSocket listener on a network address',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq', 'policy'],
    description:
      'NanoMQ\'s shipped config listens on `0.0.0.0:1883` (tcp) and `0.0.0.0:8083/mqtt` (ws) without TLS; without any `listeners` block the compiled-in TCP listener on 0.0.0.0:1883 is used. User names, passwords and messages cross the network in clear. Reported for tcp and ws listeners on a non-loopback address (higher when no TLS listener exists at all); with `listeners.allowed` in the policy, any listener not listed is reported too.',
    remediation:
      'Configure `listeners.ssl { bind = "0.0.0.0:8883", keyfile = …, certfile = … }` (and `listeners.wss`), and remove the `listeners.tcp`/`listeners.ws` blocks or bind them to loopback (`bind = "127.0.0.1:1883"`).',
    references: ['https://nanomq.io/docs/en/latest/config-description/listener.html'],
  },
  judge({ 'config.nanomq': n, policy }) {
    if (!n.configs.length) return { status: 'SKIP', message: 'no nanomq.conf among the inputs (only password or ACL files)' };
    const fails: Verdict[] = [];
    const allowed = policy.listeners.allowed;
    for (const c of n.configs) {
      const tls = c.listeners.some((l) => l.tls);
      for (const l of c.listeners) {
        const where = `${l.kind} listener ${l.host}:${l.port}${l.set ? '' : ' (compiled-in default)'}`;
        if (allowed && !listenerAllowed(allowed, l.port, l.host === '0.0.0.0' ? undefined : l.host)) fails.push({ status: 'FAIL', message: `${where} is not among the policy's allowed listeners (${allowed.join(', ')})`, location: at(l.at) });
        else if (!l.tls && nanomqPublicHost(l.host)) fails.push({ status: 'FAIL', ...(tls ? {} : { severity: 'high' as const }), message: `${where} is plaintext on ${l.host === '0.0.0.0' ? 'every interface' : l.host}${tls ? '' : ', and no TLS listener is configured'}`, location: at(l.at) });
      }
    }
    return failuresOr(fails, 'no plaintext NanoMQ listener on a network address');
  },
});
