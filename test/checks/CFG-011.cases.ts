import type { CheckCases } from './fixtures.js';
import { hardening, lynisReport } from './system-fixtures.js';

export default {
  good: [{ name: 'report without warnings', facts: { 'sys.hardening': hardening({ report: lynisReport() }) }, message: 'hardening index 78' }],
  bad: [
    {
      name: 'one warning',
      facts: { 'sys.hardening': hardening({ report: lynisReport({ warnings: [{ id: 'FIRE-4512', text: 'iptables module(s) loaded, but no rules active', details: '', solution: '', line: 12 }] }) }) },
      line: 12,
      message: 'FIRE-4512',
    },
  ],
  skip: [{ name: 'no report', facts: { 'sys.hardening': hardening() } }],
  error: [{ name: 'garbage report', facts: { 'sys.hardening': hardening({ reportError: '/var/log/lynis-report.dat: binary data, not a Lynis report' }) }, message: 'binary data' }],
} satisfies CheckCases;
