import type { CheckCases } from './fixtures.js';
import { logging } from './system-fixtures.js';

export default {
  good: [{ name: 'installed and running', facts: { 'sys.logging': logging() } }],
  bad: [
    { name: 'not installed', facts: { 'sys.logging': logging({}, { auditd: { installed: false, source: 'not found' } }) } },
    { name: 'installed, stopped', facts: { 'sys.logging': logging({}, { auditd: { installed: true, running: false, source: '/usr/sbin/auditd' } }) }, message: 'not running' },
  ],
} satisfies CheckCases;
