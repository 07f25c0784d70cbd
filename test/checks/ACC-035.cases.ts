import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'required, verified certificates', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\ncafile /ca\nrequire_certificate true\nuse_identity_as_username true\n') },
    { name: 'not used', facts: mosq('listener 1883\n') },
  ],
  bad: [
    { name: 'without require_certificate', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\ncafile /ca\nuse_identity_as_username true\n'), line: 5, message: 'require_certificate is not true' },
    { name: 'on a plaintext listener', facts: mosq('listener 1883\nuse_subject_as_username true\n'), line: 2, message: 'no TLS' },
  ],
} satisfies CheckCases;
