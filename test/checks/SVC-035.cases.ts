import type { CheckCases } from './fixtures.js';
import { mosq, mosqFor } from './config-fixtures.js';

export default {
  good: [
    { name: 'origin restricted', facts: mosq('listener 9001\nprotocol websockets\nwebsockets_origin https://dash.example.com\nwebsockets_origin https://ops.example.com\n') },
    { name: 'loopback websockets behind a proxy', facts: mosq('listener 9001 127.0.0.1\nprotocol websockets\n') },
    { name: 'no websockets listener', facts: mosq('listener 1883\n') },
  ],
  bad: [
    { name: 'public websockets without websockets_origin', facts: mosq('listener 9001\nprotocol websockets\n'), line: 2, severity: 'medium', message: 'no websockets_origin' },
    { name: 'the origin of another listener does not count', facts: mosq('listener 9001\nprotocol websockets\nwebsockets_origin https://a.example\nlistener 9002\nprotocol websockets\n'), line: 5 },
    { name: 'Mosquitto 2.0 target: low, a reverse proxy is the remedy', facts: mosqFor('2.0', 'listener 9001\nprotocol websockets\n'), line: 2, severity: 'low', message: 'has no websockets_origin: check Origin in a reverse proxy' },
  ],
} satisfies CheckCases;
