import type { CheckCases } from './fixtures.js';
import { exposure } from './ports-fixtures.js';

export default {
  good: [
    { name: 'epmd closed', facts: { 'erlang.exposure': exposure() } },
    { name: 'epmd filtered', facts: { 'erlang.exposure': exposure({}, { state: 'filtered' }) } },
  ],
  bad: [
    {
      name: 'epmd lists nodes',
      facts: { 'erlang.exposure': exposure({}, { state: 'epmd', nodes: [{ name: 'emqx', port: 4370 }] }) },
      severity: 'medium',
      message: 'emqx (port 4370)',
    },
    { name: 'epmd answers with no node', facts: { 'erlang.exposure': exposure({}, { state: 'epmd', nodes: [] }) }, message: 'no nodes' },
  ],
  error: [{ name: 'not epmd', facts: { 'erlang.exposure': exposure({}, { state: 'error', detail: 'not an epmd NAMES answer' }) }, message: 'not as epmd' }],
} satisfies CheckCases;
