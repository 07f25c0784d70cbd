import type { CheckCases } from './fixtures.js';
import { journal } from './drill-fixtures.js';

export default {
  good: [
    { name: 'unban done', facts: journal() },
    { name: 'nothing to roll back', facts: journal({ rollback: [] }) },
  ],
  bad: [
    { name: 'the unban failed', facts: journal({ rollback: [{ kind: 'unban', ok: false, detail: 'SQLITE_CANTOPEN' }] }), message: 'rollback incomplete: unban' },
    { name: 'a retained message left', facts: journal({ rollback: [{ kind: 'unban', ok: true, detail: 'ok' }, { kind: 'clear-retained', ok: false, detail: 'not cleared: a/b: CONNACK 5' }] }) },
  ],
} satisfies CheckCases;
