import type { CheckCases } from './fixtures.js';
import { brokers, listeners, sock } from './system-fixtures.js';

export default {
  good: [
    {
      name: 'TLS listener, SSH, loopback MQTT',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 8883), sock('::', 22), sock('127.0.0.1', 1883), sock('0.0.0.0', 68, { proto: 'udp' })]), 'sys.brokers': brokers() },
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
  ],
  error: [
    {
      name: 'no table readable',
      facts: { 'sys.listeners': listeners([], { problems: [{ file: '/proc/net/tcp', message: 'cannot read: EACCES' }] }), 'sys.brokers': brokers() },
      message: '/proc/net/tcp',
    },
  ],
} satisfies CheckCases;
