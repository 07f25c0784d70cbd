import type { CheckCases } from './fixtures.js';
import { portCheck, sock } from './ports-fixtures.js';

export default {
  good: [
    { name: 'every planned port listens', facts: { 'ports.check': portCheck() } },
    { name: 'a loopback-only planned port may be down', facts: { 'ports.check': portCheck({ sockets: portCheck().sockets.filter((s) => s.port !== 1883) }) } },
  ],
  bad: [
    { name: 'the dashboard is down', facts: { 'ports.check': portCheck({ sockets: portCheck().sockets.filter((s) => s.port !== 18084) }) }, severity: 'low', message: 'tcp/18084 (dashboard-https): nothing listens' },
    {
      name: 'RPC listens on loopback only',
      facts: { 'ports.check': portCheck({ sockets: [...portCheck().sockets.filter((s) => s.port !== 5371), sock('tcp', 5371, '127.0.0.1')] }) },
      message: 'tcp/5371 (cluster-rpc): loopback only',
    },
  ],
  error: [{ name: 'no socket table readable', facts: { 'ports.check': portCheck({ sockets: [], socketProblems: ['/proc/net/tcp: cannot read: ENOENT'] }) } }],
} satisfies CheckCases;
