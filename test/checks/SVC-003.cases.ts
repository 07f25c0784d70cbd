import type { CheckCases } from './fixtures.js';
import { brokers, listeners, sock } from './system-fixtures.js';
import { portCheck, sock as planSock } from './ports-fixtures.js';

const redis = sock('0.0.0.0', 6379);
const withRedis = listeners([sock('0.0.0.0', 8883), sock('::', 8883), redis]);

export default {
  good: [
    {
      name: 'TLS listener, SSH, loopback MQTT',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 8883), sock('::', 22), sock('127.0.0.1', 1883), sock('0.0.0.0', 68, { proto: 'udp' })]), 'sys.brokers': brokers() },
    },
    {
      // redis would FAIL here (see the bad cases) but the plan's socket table has it: SVC-052 judges it.
      // The plan's tcp6 table was unreadable, so [::]:8883 is still judged here.
      name: 'port plan given: the sockets it judges are left to SVC-052/054, the rest judged here',
      facts: {
        'sys.listeners': withRedis,
        'sys.brokers': brokers(),
        'ports.check': portCheck({ sockets: [planSock('tcp', 8883), planSock('tcp', 6379)], socketProblems: ['/proc/net/tcp6: cannot read: EACCES'] }),
      },
      message: '2 more judged against the port plan by SVC-052/SVC-054, not here: tcp/0.0.0.0:8883, tcp/0.0.0.0:6379',
    },
  ],
  bad: [
    { name: 'redis on all interfaces', facts: { 'sys.listeners': listeners([sock('0.0.0.0', 8883), sock('0.0.0.0', 6379)]), 'sys.brokers': brokers() }, message: '0.0.0.0:6379' },
    {
      name: 'the broker listens on an undeclared port',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 9001, { processes: [{ pid: 812, name: 'mosquitto', uid: 107 }] })]), 'sys.brokers': brokers() },
      severity: 'high',
      message: 'does not declare',
    },
    {
      name: 'port plan given but its socket table unreadable: judged here',
      facts: { 'sys.listeners': withRedis, 'sys.brokers': brokers(), 'ports.check': portCheck({ sockets: [], socketProblems: ['/proc/net/tcp: cannot read: EACCES'] }) },
      message: '0.0.0.0:6379 listens on the network and is not declared',
    },
  ],
  skip: [
    {
      name: 'port plan given: every network listener is judged against it',
      facts: { 'sys.listeners': withRedis, 'sys.brokers': brokers(), 'ports.check': portCheck({ sockets: [planSock('tcp', 8883), planSock('tcp', 8883, '::'), planSock('tcp', 6379)] }) },
      message: 'judged against the port plan instead (SVC-052, SVC-054)',
    },
    {
      name: 'tcp6 unreadable, the rest declared: no PASS',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 8883)], { problems: [{ file: '/proc/net/tcp6', message: 'cannot read: EACCES' }] }), 'sys.brokers': brokers() },
      message: 'not read completely: /proc/net/tcp6',
    },
  ],
  error: [
    {
      name: 'no table readable',
      facts: { 'sys.listeners': listeners([], { problems: [{ file: '/proc/net/tcp', message: 'cannot read: EACCES' }] }), 'sys.brokers': brokers() },
      message: '/proc/net/tcp',
    },
  ],
} satisfies CheckCases;
