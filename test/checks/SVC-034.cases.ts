import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [{ name: 'MQTT and websockets only', facts: mosq('listener 1883\nlistener 9001 127.0.0.1\nprotocol websockets\n') }],
  bad: [
    { name: 'HTTP API on every interface', facts: mosq('listener 1883\nlistener 8080\nprotocol http_api\nhttp_dir /usr/share/mosquitto/www\n'), line: 3, severity: 'high', message: 'has no authentication, on a network address' },
    { name: 'HTTP API on loopback', facts: mosq('listener 8080 127.0.0.1\nprotocol http_api\n'), line: 2, severity: 'low', message: 'every local user' },
  ],
} satisfies CheckCases;
