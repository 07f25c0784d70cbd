import type { CheckCases } from './fixtures.js';
import { portCheck, sock } from './ports-fixtures.js';

export default {
  good: [
    { name: 'only planned listeners', facts: { 'ports.check': portCheck() } },
    { name: 'unplanned but loopback only', facts: { 'ports.check': portCheck({ sockets: [...portCheck().sockets, sock('tcp', 6379, '127.0.0.1')] }) } },
  ],
  bad: [
    {
      name: 'an extra listener on all interfaces',
      facts: { 'ports.check': portCheck({ sockets: [...portCheck().sockets, sock('tcp', 8083, '::', ['beam.smp[812]'])] }) },
      message: 'tcp/8083 on [::] (beam.smp[812])',
    },
    { name: 'a UDP service', facts: { 'ports.check': portCheck({ sockets: [...portCheck().sockets, sock('udp', 14567)] }) }, message: 'udp/14567' },
  ],
  error: [{ name: 'no socket table readable', facts: { 'ports.check': portCheck({ sockets: [], socketProblems: ['/proc/net/tcp: cannot read: EACCES'] }) }, message: 'EACCES' }],
} satisfies CheckCases;
