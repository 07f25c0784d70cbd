import type { CheckCases } from './fixtures.js';
import { mosq, mosqFor } from './config-fixtures.js';

export default {
  good: [
    { name: 'all limits', facts: mosq('max_packet_size 1048576\nmax_keepalive 300\nlistener 1883\nmax_connections 1000\nlistener 1884 127.0.0.1\n') },
    { name: 'Mosquitto 2.1: max_packet_size unset is the 2,000,000-byte default, not 256 MB', facts: mosqFor('2.1', 'max_keepalive 300\nlistener 1883\nmax_connections 1000\n') },
  ],
  bad: [
    { name: 'nothing set, version unknown: both defaults stated', facts: mosq('listener 1883 127.0.0.1\n'), line: 1, message: '2.0 accepts packets up to 256 MB, 2.1 limits them to 2,000,000 bytes' },
    { name: 'Mosquitto 2.0: max_packet_size unset = 256 MB', facts: mosqFor('2.0.18', 'max_keepalive 300\nlistener 1883\nmax_connections 10\n'), line: 1, message: 'Mosquitto 2.0.18 accepts packets up to 256 MB' },
    { name: 'Mosquitto 2.1: max_packet_size 0 is still reported', facts: mosqFor('2.1', 'max_keepalive 60\nmax_packet_size 0\n'), line: 2, message: 'is 0 (unlimited)' },
    { name: 'max_packet_size 0', facts: mosq('max_keepalive 60\nmax_packet_size 0\n'), line: 2, message: 'is 0 (unlimited)' },
    { name: 'unlimited connections on a network listener', facts: mosq('max_packet_size 1000\nmax_keepalive 60\nlistener 1883\nmax_connections -1\n'), line: 4 },
  ],
} satisfies CheckCases;
