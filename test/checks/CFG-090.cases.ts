import type { CheckCases } from './fixtures.js';
import { expectation, journal, step } from './drill-fixtures.js';

export default {
  good: [
    { name: 'guard banned the source within the deadline', facts: journal(), message: 'banned after 1.2 s' },
    { name: 'a resisted sweep', facts: journal({ steps: [step({ name: 'sweep', kind: 'subscription-sweep', expectations: [expectation('met', 'resisted: every filter refused', { expectation: { kind: 'resisted', within: '5s' } })] })] }) },
  ],
  bad: [
    {
      name: 'guard did not ban in time',
      facts: journal({ steps: [step({ expectations: [expectation('failed', 'guard-ban: 10.77.0.2 not detected within 10 s (looked in guard state /tmp/g.db)', { waitedMs: 10_000 })] })] }),
      message: 'not detected within 10 s (looked in guard state',
    },
    {
      name: 'one met, one failed: the failed one counts',
      facts: journal({ steps: [step({ expectations: [expectation('met', 'guard-ban: seen'), expectation('failed', 'refused-after-ban: a connection still answered by the broker within 10 s')] })] }),
    },
  ],
  skip: [
    { name: 'the place to look was not given: not verified, never PASS', facts: journal({ steps: [step({ expectations: [expectation('not-verified', 'guard-ban: not verified: no --guard-state, --nft-table or --redis given')] })] }), message: 'not verified' },
    { name: 'no expectations', facts: journal({ steps: [step({ expectations: [] })] }) },
  ],
  error: [{ name: 'the run stopped before any step: nothing was rehearsed', facts: journal({ steps: [], aborted: 'the broker did not answer before the first step' }), message: 'no step ran: the broker did not answer' }],
} satisfies CheckCases;
