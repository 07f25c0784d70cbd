import type { CheckCases } from './fixtures.js';
import { CONNACK_REFUSED, clientAuth } from './tls-fixtures.js';

export default {
  good: [
    { name: 'TLS 1.3: alert at first read', facts: { 'tls.clientAuth': clientAuth() }, message: 'first read' },
    { name: 'TLS 1.2: handshake refused', facts: { 'tls.clientAuth': clientAuth({ outcome: 'refused-handshake', protocol: undefined }) } },
  ],
  bad: [{ name: 'no certificate needed', facts: { 'tls.clientAuth': clientAuth({ outcome: 'accepted', connack: CONNACK_REFUSED }) }, message: 'without certificate' }],
  skip: [{ name: 'no MQTT answer', facts: { 'tls.clientAuth': clientAuth({ outcome: 'no-connack', detail: 'no CONNACK within 2000 ms' }) } }],
} satisfies CheckCases;
