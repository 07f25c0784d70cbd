import type { CheckCases } from './fixtures.js';
import { CONNACK_OK, clientAuth } from './tls-fixtures.js';

export default {
  good: [{ name: 'accepted', facts: { 'tls.clientAuth': clientAuth({}, { tested: true, certificate: 'CN=device', outcome: 'accepted', detail: 'ok', connack: CONNACK_OK }) } }],
  bad: [{ name: 'refused', facts: { 'tls.clientAuth': clientAuth({}, { tested: true, certificate: 'CN=device', outcome: 'refused-after-handshake', detail: 'alert unknown ca' }) }, message: 'unknown ca' }],
  skip: [{ name: 'no --cert', facts: { 'tls.clientAuth': clientAuth() } }],
  error: [{ name: 'broken handshake', facts: { 'tls.clientAuth': clientAuth({}, { tested: false, reason: 'no TLS handshake within 2000 ms', error: true }) } }],
} satisfies CheckCases;
