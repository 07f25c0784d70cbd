import { ports, type CheckCases } from './fixtures.js';
import { closed, emqx, mgmt, nanomq } from './mgmt-fixtures.js';

export default {
  good: [
    { name: 'only MQTT over TLS answers', facts: { 'net.ports': ports([8883]) } },
    { name: 'nothing answers', facts: { 'net.ports': ports([]) } },
  ],
  bad: [
    { name: 'dashboard reachable from the network', facts: { 'net.ports': ports([8883, 18083]) }, severity: 'high', message: '18083' },
    { name: 'Erlang distribution reachable', facts: { 'net.ports': ports([4370, 5370]) }, severity: 'high', message: '4370' },
    {
      name: 'the management probes find NanoMQ on 8081, outside the scan',
      facts: { 'net.ports': ports([8883]), 'mgmt.http': mgmt([closed(18083), nanomq()]) },
      severity: 'high',
      message: 'NanoMQ HTTP server on 8081',
    },
    { name: 'the probes name what answers on 18083', facts: { 'net.ports': ports([18083]), 'mgmt.http': mgmt([emqx()]) }, message: 'EMQX dashboard / REST API on 18083 (plain HTTP, 5.8.6)' },
    {
      name: 'dashboard on loopback is lower',
      facts: { 'net.ports': ports([18083], '127.0.0.1') },
      ctx: { loopback: true, subject: '127.0.0.1', host: '127.0.0.1' },
      severity: 'low',
      message: 'loopback',
    },
  ],
  error: [
    {
      name: 'the scan itself failed',
      facts: { 'net.ports': { ...ports([]), ports: ports([]).ports.map((p) => ({ ...p, state: 'error' as const, detail: 'getaddrinfo ENOTFOUND h' })) } },
      message: 'ENOTFOUND',
    },
  ],
} satisfies CheckCases;
