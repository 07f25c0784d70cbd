import type { CheckCases } from './fixtures.js';
import { CONNACK_OK, CONNACK_REFUSED, clientAuth } from './tls-fixtures.js';

export default {
  good: [
    { name: 'client certificate demanded', facts: { 'tls.clientAuth': clientAuth() } },
    { name: 'no certificate needed but password-less CONNECT refused', facts: { 'tls.clientAuth': clientAuth({ outcome: 'accepted', connack: CONNACK_REFUSED }) } },
  ],
  bad: [{ name: 'neither certificate nor password', facts: { 'tls.clientAuth': clientAuth({ outcome: 'accepted', connack: CONNACK_OK }) }, message: 'no password and no client certificate' }],
  skip: [
    { name: 'server busy', facts: { 'tls.clientAuth': clientAuth({ outcome: 'accepted', connack: { protocolVersion: 5, code: 0x89, codeName: 'server busy', accepted: false, refusal: 'other' } }) } },
  ],
} satisfies CheckCases;
