import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [{ name: 'all limits', facts: mosq('max_packet_size 1048576\nmax_keepalive 300\nlistener 1883\nmax_connections 1000\nlistener 1884 127.0.0.1\n') }],
  bad: [
    { name: 'nothing set: reported at the top of the file', facts: mosq('listener 1883 127.0.0.1\n'), line: 1, message: 'max_packet_size unset' },
    { name: 'max_packet_size 0', facts: mosq('max_keepalive 60\nmax_packet_size 0\n'), line: 2, message: 'is 0 (unlimited)' },
    { name: 'unlimited connections on a network listener', facts: mosq('max_packet_size 1000\nmax_keepalive 60\nlistener 1883\nmax_connections -1\n'), line: 4 },
  ],
} satisfies CheckCases;
