import type { CheckCases } from './fixtures.js';
import { DYNSEC, dynsec, hardened } from './dynsec-nanomq-fixtures.js';

export default {
  good: [{ name: 'no .pw file next to the config', facts: dynsec(hardened()) }],
  bad: [{ name: 'generated passwords left in <config>.pw', facts: dynsec(hardened(), { [`${DYNSEC}.pw`]: 'admin s3cretAdminPw\ndemoclient s3cretDemoPw\n' }), line: 1, message: 'holds the plain-text passwords of "admin", "democlient"' }],
  skip: [{ name: 'config not read', facts: { 'config.dynsec': { files: [{ path: DYNSEC, ref: { file: '/etc/mosquitto/mosquitto.conf', line: 3, column: 24 }, error: 'ENOENT' }] } } }],
} satisfies CheckCases;
