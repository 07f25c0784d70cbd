import type { CheckCases } from './fixtures.js';
import { protocols } from './tls-fixtures.js';

export default {
  good: [{ name: 'TLS 1.0 and 1.1 refused', facts: { 'tls.protocols': protocols() } }],
  bad: [
    { name: 'TLS 1.0 offered', facts: { 'tls.protocols': protocols({ TLSv1: 'offered' }) }, message: 'TLSv1 (' },
    { name: 'TLS 1.1 offered', facts: { 'tls.protocols': protocols({ 'TLSv1.1': 'offered' }) }, message: 'TLSv1.1' },
  ],
  skip: [{ name: 'TLS 1.1 could not be probed', facts: { 'tls.protocols': protocols({ 'TLSv1.1': 'unprobeable' }) } }],
  error: [{ name: 'TLS 1.0 probe broken', facts: { 'tls.protocols': protocols({ TLSv1: 'error' }) } }],
} satisfies CheckCases;
