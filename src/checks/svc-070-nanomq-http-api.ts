import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { nanomqPublicHost } from '../config/nanomq.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-070',
    name: 'nanomq-http-api',
    title: 'NanoMQ HTTP API with the shipped credentials or on every interface',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq'],
    description:
      'An `http_server { … }` block (legacy: `http_server.enable=true`) starts NanoMQ\'s HTTP API on port 8081, on every interface unless `ip_addr` says otherwise (the legacy format cannot restrict it). The API lists clients and subscriptions, publishes messages, reads and rewrites the configuration and restarts the broker. The shipped file enables it with basic authentication as `admin` / `public`: with those credentials (or a password that misses the policy) it is a finding of high severity; reachable from the network at all, of medium.',
    remediation:
      'Remove the `http_server` block if the API is not used. Otherwise set `ip_addr = 127.0.0.1` (or a management address), a long random `password` (`mqtt-warden passwd gen`) and another `username`, or `auth_type = jwt`; and restrict port 8081 in the firewall (`mqtt-warden ports`).',
    references: ['https://nanomq.io/docs/en/latest/config-description/http-server.html', 'https://nanomq.io/docs/en/latest/http-api/v4.html'],
  },
  judge({ 'config.nanomq': n }) {
    if (!n.configs.length) return { status: 'SKIP', message: 'no nanomq.conf among the inputs (only password or ACL files)' };
    const fails: Verdict[] = [];
    for (const c of n.configs) {
      const h = c.httpServer;
      if (!h) continue;
      const where = `HTTP API on ${h.host.value}:${h.port.value}`;
      if (h.authType.value === 'basic') {
        const pw = h.password;
        if (pw.shipped || !pw.set) fails.push({ status: 'FAIL', message: `${where} uses the shipped password${pw.set ? '' : ' (not set: the default)'} for user "${h.username.value}"`, location: at(pw.at), key: `${c.file} password` });
        else if (pw.strength && !pw.strength.ok) fails.push({ status: 'FAIL', message: `${where}: the password of user "${h.username.value}" is weak: ${pw.strength.problems.join('; ')}`, location: at(pw.at), key: `${c.file} password` });
      }
      if (nanomqPublicHost(h.host.value)) {
        const why = h.host.set ? '' : h.host.key === 'http_server.ip_addr' ? ' (ip_addr not set: 0.0.0.0)' : ' (the legacy format cannot restrict it)';
        fails.push({ status: 'FAIL', severity: 'medium', message: `${where} listens on ${h.host.value === '0.0.0.0' ? 'every interface' : `the network address ${h.host.value}`}${why}`, location: at(h.host.set ? h.host.at : h.at), key: `${c.file} bind` });
      }
    }
    return failuresOr(fails, 'the NanoMQ HTTP API is off, or bound to loopback with its own credentials');
  },
});
