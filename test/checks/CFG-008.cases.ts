import type { CheckCases } from './fixtures.js';
import { logging } from './system-fixtures.js';

export default {
  good: [{ name: 'persistent', facts: { 'sys.logging': logging() } }],
  bad: [{ name: 'volatile', facts: { 'sys.logging': logging({}, { journald: { persistent: false, storage: 'volatile', source: '/etc/systemd/journald.conf' } }) }, message: 'Storage=volatile' }],
  skip: [{ name: 'no journald', facts: { 'sys.logging': logging({}, { journald: { unknown: 'systemd-journald is not installed' } }) } }],
} satisfies CheckCases;
