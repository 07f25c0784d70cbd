import type { CheckCases } from './fixtures.js';
import { certificate } from './tls-fixtures.js';

export default {
  good: [
    { name: 'SAN DNS', facts: { 'tls.certificate': certificate() } },
    { name: 'SAN wildcard', facts: { 'tls.certificate': certificate({ san: { dns: ['*.example.net'], ip: [] } }, { host: 'mqtt.example.net' }) } },
    { name: 'SAN IP', facts: { 'tls.certificate': certificate({ san: { dns: ['localhost'], ip: ['127.0.0.1'] } }, { host: '127.0.0.1' }) } },
    { name: 'CN only (legacy fallback, see TLS-009)', facts: { 'tls.certificate': certificate({ san: { dns: [], ip: [] } }) }, message: 'TLS-009' },
  ],
  bad: [
    { name: 'other name', facts: { 'tls.certificate': certificate({ san: { dns: ['other.example'], ip: [] }, cn: 'other.example' }) }, message: 'does not name broker.example' },
    { name: 'wildcard does not cover two labels', facts: { 'tls.certificate': certificate({ san: { dns: ['*.example.net'], ip: [] } }, { host: 'a.mqtt.example.net' }) } },
    { name: 'IP not in SAN (CN ignored when SAN exists)', facts: { 'tls.certificate': certificate({ cn: '127.0.0.1', san: { dns: ['localhost'], ip: [] } }, { host: '127.0.0.1' }) } },
  ],
} satisfies CheckCases;
