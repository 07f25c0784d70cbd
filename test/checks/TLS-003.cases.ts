import type { CheckCases } from './fixtures.js';
import { protocols } from './tls-fixtures.js';

export default {
  good: [{ name: 'TLS 1.3 offered', facts: { 'tls.protocols': protocols() } }],
  bad: [
    { name: 'TLS 1.2 only', facts: { 'tls.protocols': protocols({ 'TLSv1.3': 'not-offered' }) }, severity: 'low', message: 'TLS 1.3 is not offered' },
    { name: 'neither 1.2 nor 1.3', facts: { 'tls.protocols': protocols({ TLSv1: 'offered', 'TLSv1.2': 'not-offered', 'TLSv1.3': 'not-offered' }) }, severity: 'high' },
  ],
  skip: [{ name: 'TLS 1.3 not probeable', facts: { 'tls.protocols': protocols({ 'TLSv1.3': 'unprobeable' }) } }],
  error: [{ name: 'TLS 1.3 probe broken', facts: { 'tls.protocols': protocols({ 'TLSv1.3': 'error' }) } }],
} satisfies CheckCases;
