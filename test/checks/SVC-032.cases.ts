import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'wss', facts: mosq('listener 8084\nprotocol websockets\ncertfile /c\nkeyfile /k\n') },
    { name: 'ws on loopback behind a proxy', facts: mosq('listener 8083 127.0.0.1\nprotocol websockets\n') },
  ],
  bad: [{ name: 'plain ws on all interfaces', facts: mosq('listener 1883 127.0.0.1\nlistener 8083\nprotocol websockets\n'), line: 3 }],
} satisfies CheckCases;
