import type { CheckCases } from './fixtures.js';
import { logging } from './system-fixtures.js';

export default {
  good: [{ name: 'file log with connection messages', facts: { 'sys.logging': logging() } }],
  bad: [
    {
      name: 'connection_messages false',
      facts: { 'sys.logging': logging({ connectionMessages: { value: false, location: { file: '/etc/mosquitto/mosquitto.conf', line: 14, column: 1 } } }) },
      line: 14,
      message: 'connection_messages false',
    },
    { name: 'log_dest none', facts: { 'sys.logging': logging({ destinations: [{ dest: 'none' }], durable: false }) }, severity: 'low' },
  ],
  skip: [{ name: 'no broker config', facts: { 'sys.logging': logging({}, { brokers: [] }) } }],
} satisfies CheckCases;
