import type { CheckCases } from './fixtures.js';
import { logging } from './system-fixtures.js';
import { DEFAULT_POLICY as policy, PolicySchema } from '../../src/config/policy.js';

const noConnectionLog = PolicySchema.parse({ logging: { requireConnectionLog: false } });
const cmOff = { connectionMessages: { value: false, location: { file: '/etc/mosquitto/mosquitto.conf', line: 14, column: 1 } } };

export default {
  good: [
    { name: 'file log with connection messages', facts: { 'sys.logging': logging(), policy } },
    { name: 'connection_messages false where the policy does not require a connection log', facts: { 'sys.logging': logging(cmOff), policy: noConnectionLog }, message: 'without (the policy does not require them)' },
  ],
  bad: [
    {
      name: 'connection_messages false',
      facts: { 'sys.logging': logging({ connectionMessages: { value: false, location: { file: '/etc/mosquitto/mosquitto.conf', line: 14, column: 1 } } }), policy },
      line: 14,
      message: 'connection_messages false',
    },
    { name: 'log_dest none', facts: { 'sys.logging': logging({ destinations: [{ dest: 'none' }], durable: false }), policy }, severity: 'low' },
    { name: 'log_dest none is a finding whatever the policy says of connection messages', facts: { 'sys.logging': logging({ ...cmOff, destinations: [{ dest: 'none' }], durable: false }), policy: noConnectionLog }, severity: 'low', message: 'no file or syslog destination' },
  ],
  skip: [{ name: 'no broker config', facts: { 'sys.logging': logging({}, { brokers: [] }), policy } }],
} satisfies CheckCases;
