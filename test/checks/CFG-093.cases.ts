import type { CheckCases } from './fixtures.js';
import { journal, step } from './drill-fixtures.js';

export default {
  good: [{ name: 'completed within the caps', facts: journal(), message: '8/200 connections' }],
  bad: [
    { name: 'maxDuration reached', facts: journal({ aborted: 'maxDuration 60s reached' }), message: 'aborted' },
    { name: 'a step ran out of budget', facts: journal({ steps: [step({ outcome: { ...step().outcome, stoppedBy: 'budget' } })] }), message: 'stopped early' },
    { name: 'more than the caps (a bug): high', facts: journal({ safety: { ...journal()['drill.journal'].safety, used: { connections: 201, failedLogins: 4 } } }), severity: 'high' },
  ],
} satisfies CheckCases;
