import type { CheckCases } from './fixtures.js';
import { side } from './config-fixtures.js';
import { parseMosquittoPsk } from '../../src/config/mosquitto.js';

export default {
  good: [{ name: '256-bit keys', facts: side('mosquitto-psk', '/repo/psk', `dev1:${'ab'.repeat(32)}\n`) }],
  bad: [
    { name: 'upstream pskfile.example', facts: side('mosquitto-psk', '/repo/psk', 'id:deadbeef\neasy:12345\n'), line: 2, message: '20-bit' },
    { name: 'not hexadecimal', facts: side('mosquitto-psk', '/repo/psk', `a:${'ab'.repeat(32)}\nb:${'zz'.repeat(32)}\n`), line: 2, severity: 'medium' },
  ],
  skip: [
    { name: 'no PSK file', facts: { 'config.mosquitto': { configs: [], aclFiles: [], pskFiles: [] } } },
    {
      name: 'one PSK file fine, the other not readable: no PASS',
      facts: {
        'config.mosquitto': {
          configs: [],
          aclFiles: [],
          pskFiles: [
            { path: '/repo/psk', ref: { file: '/repo/psk', line: 1, column: 1 }, parsed: parseMosquittoPsk(`dev1:${'ab'.repeat(32)}\n`, '/repo/psk') },
            { path: '/etc/mosquitto/psk2', ref: { file: '/etc/mosquitto/mosquitto.conf', line: 4, column: 10 }, error: 'EACCES' },
          ],
        },
      },
      message: 'PSK file not readable: /etc/mosquitto/psk2 (EACCES)',
    },
  ],
} satisfies CheckCases;
