import type { CheckCases } from './fixtures.js';
import { brokers, listeners, sock } from './system-fixtures.js';
import { portCheck, sock as planSock } from './ports-fixtures.js';

const wide1883 = listeners([sock('0.0.0.0', 1883, { processes: [{ pid: 812, name: 'mosquitto', uid: 107 }] })]);

export default {
  good: [
    { name: 'loopback listener on loopback', facts: { 'sys.listeners': listeners([sock('127.0.0.1', 1883), sock('0.0.0.0', 8883)]), 'sys.brokers': brokers() } },
    {
      name: 'port plan given: loopback listener on loopback (the plan judges no loopback socket)',
      facts: { 'sys.listeners': listeners([sock('127.0.0.1', 1883), sock('0.0.0.0', 8883)]), 'sys.brokers': brokers(), 'ports.check': portCheck() },
      message: 'listens on loopback only',
    },
  ],
  bad: [
    {
      name: 'loopback listener bound to all interfaces (websockets #3045)',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 1883)]), 'sys.brokers': brokers() },
      line: 1,
      message: 'listens on 0.0.0.0',
    },
    {
      name: 'port plan given but its socket table lacks the widened socket (unreadable): judged here',
      facts: { 'sys.listeners': wide1883, 'sys.brokers': brokers(), 'ports.check': portCheck({ sockets: [], socketProblems: ['/proc/net/tcp: cannot read: EACCES'] }) },
      line: 1,
      message: 'is configured for 127.0.0.1 (/etc/mosquitto/conf.d/local.conf:1) but listens on 0.0.0.0',
    },
  ],
  skip: [
    { name: 'no loopback listener configured', facts: { 'sys.listeners': listeners([]), 'sys.brokers': brokers({ declared: [] }) } },
    {
      name: 'port plan given: the widened socket is left to SVC-054 (the plan lists 1883 for loopback)',
      facts: { 'sys.listeners': wide1883, 'sys.brokers': brokers({ declared: brokers().declared.filter((d) => d.port === 1883) }), 'ports.check': portCheck({ sockets: [planSock('tcp', 1883, '0.0.0.0', ['mosquitto[812]'])] }) },
      message: 'judged against the port plan instead (SVC-054',
    },
    {
      name: 'port plan given: the widened socket is left to SVC-052 (the plan does not list the port)',
      facts: {
        'sys.listeners': wide1883,
        'sys.brokers': brokers({ declared: brokers().declared.filter((d) => d.port === 1883) }),
        'ports.check': portCheck({ planned: portCheck().planned.filter((p) => p.port !== 1883), sockets: [planSock('tcp', 1883, '0.0.0.0', ['mosquitto[812]'])] }),
      },
      message: 'judged against the port plan instead (SVC-052',
    },
  ],
} satisfies CheckCases;
