import type { CheckCases } from './fixtures.js';
import { dynsec, hardened } from './dynsec-nanomq-fixtures.js';

const open = '{\n  "defaultACLAccess": {\n    "publishClientSend": true,\n    "publishClientReceive": true,\n    "subscribe": true\n  }\n}\n';

export default {
  good: [
    { name: 'generated defaults', facts: dynsec(hardened()) },
    { name: 'no defaultACLAccess: every key false', facts: dynsec({ roles: [], clients: [] }) },
  ],
  bad: [
    { name: 'publishClientSend true', facts: dynsec(open), line: 3, message: 'publishClientSend is true' },
    { name: 'subscribe and receive true', facts: dynsec(open), line: 5, severity: 'high', message: 'receive every message' },
    { name: 'subscribe true, receive false', facts: dynsec(hardened({ defaultACLAccess: { subscribe: true, publishClientReceive: false } })), severity: 'medium', message: 'delivery still needs a role' },
  ],
  skip: [{ name: 'not valid JSON: not judged', facts: dynsec('{"defaultACLAccess": {"subscribe": true,}}') }],
} satisfies CheckCases;
