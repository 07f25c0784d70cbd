import type { CheckCases } from './fixtures.js';
import { hardening, lynisReport } from './system-fixtures.js';

export default {
  good: [{ name: 'no suggestions', facts: { 'sys.hardening': hardening({ report: lynisReport() }) } }],
  bad: [
    { name: 'a suggestion', facts: { 'sys.hardening': hardening({ report: lynisReport({ suggestions: [{ id: 'SSH-7408', text: 'Consider hardening SSH configuration', details: 'AllowTcpForwarding (set YES to NO)', solution: '', line: 30 }] }) }) }, line: 30 },
    { name: 'low hardening index', facts: { 'sys.hardening': hardening({ report: lynisReport({ hardeningIndex: 52 }) }) }, severity: 'low', message: 'index 52' },
  ],
  skip: [{ name: 'no report', facts: { 'sys.hardening': hardening() } }],
} satisfies CheckCases;
