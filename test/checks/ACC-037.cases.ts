import type { CheckCases } from './fixtures.js';
import { side } from './config-fixtures.js';

export default {
  good: [{ name: '256-bit keys', facts: side('mosquitto-psk', '/repo/psk', `dev1:${'ab'.repeat(32)}\n`) }],
  bad: [
    { name: 'upstream pskfile.example', facts: side('mosquitto-psk', '/repo/psk', 'id:deadbeef\neasy:12345\n'), line: 2, message: '20-bit' },
    { name: 'not hexadecimal', facts: side('mosquitto-psk', '/repo/psk', `a:${'ab'.repeat(32)}\nb:${'zz'.repeat(32)}\n`), line: 2, severity: 'medium' },
  ],
  skip: [{ name: 'no PSK file', facts: { 'config.mosquitto': { configs: [], aclFiles: [], pskFiles: [] } } }],
} satisfies CheckCases;
