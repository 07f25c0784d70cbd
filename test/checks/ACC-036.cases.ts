import type { CheckCases } from './fixtures.js';
import { passwdFor, side } from './config-fixtures.js';
import { parseMosquittoPasswd } from '../../src/config/mosquitto.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';

const hash64 = 'A'.repeat(86) + '==';
const strong = `a:$7$100000$MTIzNDU2Nzg5MDEy$${hash64}\n`;
const salt64 = `s:$7$100000$${'B'.repeat(86)}==$${hash64}\n`;

export default {
  good: [
    { name: 'PBKDF2 with 100000 iterations', facts: side('mosquitto-passwd', '/repo/passwd', strong) },
    { name: 'Mosquitto 2.1: a 64-byte salt (mosquitto_passwd 2.1) and argon2id are valid', facts: passwdFor('2.1', '/repo/passwd', salt64 + 'c:$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g\n') },
    { name: 'version unknown: a 64-byte salt is not malformed', facts: side('mosquitto-passwd', '/repo/passwd', salt64) },
  ],
  bad: [
    {
      name: 'upstream pwfile.example: legacy $6$ hashes',
      facts: side('mosquitto-passwd', '/repo/pwfile', 'roger:$6$clQ4Ocu312S0qWgl$Cv2wUxgEN73c6C6jlBkswqR4AkHsvDLWvtEXZZ8NpsBLgP1WAo/qA+WXcmEN/mjDNgdUwcxRAveqNMs2xUVQYA==\n'),
      line: 1,
      message: 'legacy $6$',
    },
    { name: 'mosquitto_passwd 2.0 default: 101 iterations', facts: side('mosquitto-passwd', '/repo/passwd', strong + `b:$7$101$MTIzNDU2Nzg5MDEy$${hash64}\n`), line: 2, message: '101 PBKDF2 iterations' },
    { name: 'mosquitto_passwd 2.1 default: 1000 iterations, named as such', facts: side('mosquitto-passwd', '/repo/passwd', `b:$7$1000$MTIzNDU2Nzg5MDEy$${hash64}\n`), line: 1, message: '1000 PBKDF2 iterations (the default of mosquitto_passwd 2.1)' },
    { name: '101 iterations named as the 2.0 default', facts: side('mosquitto-passwd', '/repo/passwd', `b:$7$101$MTIzNDU2Nzg5MDEy$${hash64}\n`), line: 1, message: '(the default of mosquitto_passwd 2.0)' },
    { name: 'Mosquitto 2.0 target: a 64-byte salt from mosquitto_passwd 2.1 is dropped', facts: passwdFor('2.0', '/repo/passwd', strong + salt64), line: 2, severity: 'high', message: 'Mosquitto 2.0 expects 12 bytes' },
    { name: 'Mosquitto 2.0 target: argon2id cannot be verified', facts: passwdFor('2.0.22', '/repo/passwd', 'c:$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g\n'), line: 1, severity: 'high', message: 'cannot verify it' },
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
    { name: 'a line without a colon', facts: side('mosquitto-passwd', '/repo/passwd', 'nocolon\n' + strong), line: 1, message: 'no ":" on this line' },
    { name: 'absurd $7$ iteration count', facts: side('mosquitto-passwd', '/repo/passwd', strong + `u:$7$999999999999$MTIzNDU2Nzg5MDEy$${hash64}\n`), line: 2, message: 'absurd iteration count 999999999999' },
    { name: 'the issue\'s entry: absurd count, salt and hash of 2 bytes', facts: side('mosquitto-passwd', '/repo/passwd', 'u:$7$999999999999$abc$def\n'), line: 1, message: 'absurd iteration count' },
    { name: 'non-numeric iteration count', facts: side('mosquitto-passwd', '/repo/passwd', `u:$7$1e5$MTIzNDU2Nzg5MDEy$${hash64}\n`), line: 1, message: 'iteration count "1e5" is not a number' },
    { name: 'iteration count 0', facts: side('mosquitto-passwd', '/repo/passwd', `u:$7$0$MTIzNDU2Nzg5MDEy$${hash64}\n`), line: 1, message: 'iteration count of 0' },
    { name: 'salt of 9 bytes', facts: side('mosquitto-passwd', '/repo/passwd', `u:$7$100000$MTIzNDU2Nzg5$${hash64}\n`), line: 1, message: 'salt decodes to 9 bytes, Mosquitto expects 12' },
    { name: 'hash of 4 bytes', facts: side('mosquitto-passwd', '/repo/passwd', 'u:$6$MTIzNDU2Nzg5MDEy$aGFzaA==\n'), line: 1, message: 'hash decodes to 4 bytes, Mosquitto expects 64' },
    { name: 'salt not base64', facts: side('mosquitto-passwd', '/repo/passwd', `u:$7$100000$MTIz*DU2Nzg5MDEy$${hash64}\n`), line: 1, message: 'salt is not valid base64' },
    { name: 'a field missing', facts: side('mosquitto-passwd', '/repo/passwd', 'u:$7$100000$MTIzNDU2Nzg5MDEy\n'), line: 1, message: 'expected $7$iterations$salt$hash' },
    { name: 'unknown hash scheme', facts: side('mosquitto-passwd', '/repo/passwd', 'u:$5$rounds=5000$abc$def\n'), line: 1, message: 'unknown hash scheme "$5$"' },
    {
      name: 'password file not readable',
      facts: { 'config.passwords': { mosquitto: [{ path: '/x', ref: { file: '/c', line: 3, column: 15 }, error: 'ENOENT' }] }, policy: DEFAULT_POLICY },
      line: 3,
      severity: 'low',
      message: 'cannot be read (ENOENT)',
    },
  ],
  skip: [{ name: 'an empty password file', facts: side('mosquitto-passwd', '/repo/passwd', '# no users yet\n') }],
} satisfies CheckCases;
