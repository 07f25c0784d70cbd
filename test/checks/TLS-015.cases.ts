import type { CheckCases } from './fixtures.js';
import { certificate } from './tls-fixtures.js';

export default {
  good: [{ name: 'CA:FALSE', facts: { 'tls.certificate': certificate() } }],
  bad: [{ name: 'CA:TRUE leaf', facts: { 'tls.certificate': certificate({ isCA: true }) }, message: 'CA:TRUE' }],
} satisfies CheckCases;
