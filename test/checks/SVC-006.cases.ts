import type { CheckCases } from './fixtures.js';
import { brokers } from './system-fixtures.js';

export default {
  good: [
    { name: 'running as mosquitto', facts: { 'sys.brokers': brokers() } },
    { name: 'offline, default user', facts: { 'sys.brokers': brokers({ processes: undefined, processesSkipped: 'offline root', live: false }) } },
  ],
  bad: [
    { name: 'running as root', facts: { 'sys.brokers': brokers({ processes: [{ product: 'mosquitto', pid: 9, name: 'mosquitto', uid: 0, user: 'root', libs: [] }] }) }, message: 'runs as root' },
    {
      name: 'offline: user root in the config',
      facts: {
        'sys.brokers': brokers({
          processes: undefined,
          processesSkipped: 'offline root',
          runAs: [{ product: 'mosquitto', user: 'root', location: { file: '/etc/mosquitto/mosquitto.conf', line: 3, column: 1 }, source: 'user directive' }],
        }),
      },
      line: 3,
    },
  ],
  skip: [{ name: 'no broker', facts: { 'sys.brokers': brokers({ configs: [], runAs: [], processes: [] }) } }],
} satisfies CheckCases;
