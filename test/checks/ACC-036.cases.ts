import type { CheckCases } from './fixtures.js';
import { side } from './config-fixtures.js';
import { parseMosquittoPasswd } from '../../src/config/mosquitto.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';

const strong = 'a:$7$100000$MTIzNDU2Nzg5MDEy$' + 'A'.repeat(86) + '==\n';

export default {
  good: [{ name: 'PBKDF2 with 100000 iterations', facts: side('mosquitto-passwd', '/repo/passwd', strong) }],
  bad: [
    {
      name: 'upstream pwfile.example: legacy $6$ hashes',
      facts: side('mosquitto-passwd', '/repo/pwfile', 'roger:$6$clQ4Ocu312S0qWgl$Cv2wUxgEN73c6C6jlBkswqR4AkHsvDLWvtEXZZ8NpsBLgP1WAo/qA+WXcmEN/mjDNgdUwcxRAveqNMs2xUVQYA==\n'),
      line: 1,
      message: 'legacy $6$',
    },
    { name: 'mosquitto_passwd 2.0 default: 101 iterations', facts: side('mosquitto-passwd', '/repo/passwd', strong + 'b:$7$101$MTIzNDU2Nzg5MDEy$aGFzaA==\n'), line: 2, message: '101 PBKDF2 iterations' },
    { name: 'duplicate user', facts: side('mosquitto-passwd', '/repo/passwd', strong + strong), line: 2, severity: 'low' },
    {
      name: 'policy raises the minimum',
      facts: side('mosquitto-passwd', '/repo/passwd', strong, { passwords: { mosquittoMinIterations: 200000 } }),
      line: 1,
      message: "below the policy's 200000",
    },
    {
      name: 'world-readable file',
      facts: { 'config.passwords': { mosquitto: [{ path: '/etc/mosquitto/passwd', ref: { file: '/etc/mosquitto/mosquitto.conf', line: 3, column: 15 }, parsed: parseMosquittoPasswd(strong, '/etc/mosquitto/passwd'), mode: 0o644, uid: 0 }] }, policy: DEFAULT_POLICY },
      line: 1,
      message: 'world-readable (mode 0644)',
    },
  ],
  skip: [{ name: 'password file not readable', facts: { 'config.passwords': { mosquitto: [{ path: '/x', ref: { file: '/c', line: 1, column: 1 }, error: 'ENOENT' }] }, policy: DEFAULT_POLICY } }],
} satisfies CheckCases;
