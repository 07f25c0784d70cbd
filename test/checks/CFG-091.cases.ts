import type { CheckCases } from './fixtures.js';
import { journal, steady } from './drill-fixtures.js';

export default {
  good: [
    { name: 'broker answered before and after', facts: journal() },
    { name: 'known client not given: the other probe still held', facts: journal({ steady: [steady('broker-answers', 'before'), steady('known-client-publishes', 'before', false, 'no known client'), steady('broker-answers', 'after'), steady('known-client-publishes', 'after', false, 'no known client')] }), message: 'not run: known-client-publishes' },
  ],
  bad: [
    { name: 'the broker stopped answering after the drill', facts: journal({ steady: [steady('broker-answers', 'before'), steady('broker-answers', 'after', false)] }), message: 'held before the drill, not after it' },
    { name: 'the broker did not answer before', facts: journal({ steady: [steady('broker-answers', 'before', false), steady('broker-answers', 'after', false)] }), message: 'before the drill' },
  ],
  skip: [
    { name: 'no probe could run', facts: journal({ steady: [steady('known-client-publishes', 'before', false, 'no known client'), steady('known-client-publishes', 'after', false, 'no known client')] }) },
    { name: 'no probes', facts: journal({ steady: [] }) },
  ],
} satisfies CheckCases;
