import type { CheckCases } from './fixtures.js';
import { component, software } from './system-fixtures.js';

export default {
  good: [{ name: 'EMQX 5.8.0', facts: { 'sys.software': software([component({ product: 'emqx', version: '5.8.0', release: '5.8.0', source: 'release-files', where: '/opt/emqx/releases' })]) } }],
  bad: [
    {
      name: 'EMQ X 4.2.7',
      facts: { 'sys.software': software([component({ product: 'emqx', version: '4.2.7', release: '4.2.7', source: 'release-files', where: '/opt/emqx/releases' })]) },
      severity: 'high',
      message: 'CVE-2021-33175',
    },
  ],
  skip: [{ name: 'no EMQX', facts: { 'sys.software': software([]) } }],
} satisfies CheckCases;
