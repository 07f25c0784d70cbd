import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'defaults', facts: mosq('listener 1883\n') },
    { name: 'connection_messages false and errors only, where the policy does not require a connection log', facts: mosq('listener 1883\nconnection_messages false\nlog_type error\n', {}, { logging: { requireConnectionLog: false } }), message: 'the policy does not require connection messages' },
    { name: 'explicit levels with notice', facts: mosq('log_type error\nlog_type warning\nlog_type notice\nlog_dest file /var/log/mosquitto/mosquitto.log\nconnection_messages true\n') },
  ],
  bad: [
    { name: 'connection_messages false', facts: mosq('listener 1883\nconnection_messages false\n'), line: 2 },
    { name: 'log_type error only', facts: mosq('log_type error\nlog_type warning\n'), line: 1, message: 'log_type error, warning' },
    { name: 'log_dest none', facts: mosq('log_dest none\n'), line: 1, severity: 'high' },
    { name: 'log_dest none whatever the policy says of connection messages', facts: mosq('log_dest none\n', {}, { logging: { requireConnectionLog: false } }), line: 1, severity: 'high' },
  ],
} satisfies CheckCases;
