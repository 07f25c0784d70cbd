import type { CheckCases } from './fixtures.js';
import { parseMosquittoPasswd } from '../../src/config/mosquitto.js';
import type { CrackResult } from '../../src/credentials/crack.js';

const parsed = parseMosquittoPasswd('admin:$7$1000$MTIzNDU2Nzg5MDEy$aGFzaA==\nb:$7$1000$MTIzNDU2Nzg5MDEy$aGFzaA==\n', '/etc/mosquitto/passwd');
const file = { path: '/etc/mosquitto/passwd', ref: { file: '/etc/mosquitto/passwd', line: 1, column: 1 }, parsed };
const result = (over: Partial<CrackResult>): CrackResult => ({ wordlist: 'rockyou-top1000.txt', tested: 2, attempts: 2002, stoppedBy: 'list-exhausted', cracked: [], untested: [], ...over });

export default {
  good: [{ name: 'nothing cracked', facts: { 'config.passwords': { mosquitto: [file], crackTest: result({}) } }, message: 'none of 2 hashes' }],
  bad: [
    {
      name: 'username as password, and a wordlist hit',
      facts: {
        'config.passwords': {
          mosquitto: [file],
          crackTest: result({
            cracked: [
              { file: '/etc/mosquitto/passwd', line: 1, column: 1, username: 'admin', source: 'username' },
              { file: '/etc/mosquitto/passwd', line: 2, column: 1, username: 'b', source: 'wordlist' },
            ],
          }),
        },
      },
      line: 2,
      message: 'is the username',
    },
  ],
  skip: [
    { name: 'no crack test run', facts: { 'config.passwords': { mosquitto: [file] } } },
    { name: 'only argon2id entries', facts: { 'config.passwords': { mosquitto: [file], crackTest: result({ tested: 0, untested: [{ file: 'p', line: 1, username: 'a', reason: 'argon2id entries cannot be tested' }] }) } } },
  ],
} satisfies CheckCases;
