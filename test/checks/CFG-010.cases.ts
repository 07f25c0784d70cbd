import type { CheckCases } from './fixtures.js';
import { hardening } from './system-fixtures.js';

export default {
  good: [{ name: 'Lynis installed', facts: { 'sys.hardening': hardening() } }],
  bad: [{ name: 'nothing installed', facts: { 'sys.hardening': hardening({ lynis: { installed: false } }) }, message: 'neither' }],
} satisfies CheckCases;
