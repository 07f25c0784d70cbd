import type { CheckCases } from './fixtures.js';
import { certificate } from './tls-fixtures.js';

export default {
  good: [{ name: 'SAN present', facts: { 'tls.certificate': certificate() } }],
  bad: [
    { name: 'CN only', facts: { 'tls.certificate': certificate({ san: { dns: [], ip: [] } }) }, message: 'only in its CN' },
    { name: 'IP in CN only', facts: { 'tls.certificate': certificate({ cn: '127.0.0.1', san: { dns: [], ip: [] } }, { host: '127.0.0.1' }) } },
  ],
} satisfies CheckCases;
