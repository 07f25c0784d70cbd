import type { CheckCases } from './fixtures.js';
import { parseMosquittoPasswd } from '../../src/config/mosquitto.js';
import type { CrackResult } from '../../src/credentials/crack.js';

const h = `$7$1000$MTIzNDU2Nzg5MDEy$${'A'.repeat(86)}==`;
const parsed = parseMosquittoPasswd(`admin:${h}\nb:${h}\n`, '/etc/mosquitto/passwd');
const file = { path: '/etc/mosquitto/passwd', ref: { file: '/etc/mosquitto/passwd', line: 1, column: 1 }, parsed };
const result = (over: Partial<CrackResult>): CrackResult => ({ wordlist: 'rockyou-top1000.txt', candidates: 1001, tested: 2, finished: 2, attempts: 2002, stoppedBy: 'list-exhausted', cracked: [], unfinished: [], untested: [], ...over });

export default {
  good: [{ name: 'nothing cracked', facts: { 'config.passwords': { mosquitto: [file], crackTest: result({}) } }, message: 'none of 2 hashes fell to rockyou-top1000.txt (every one of the 1001 candidates' }],
  bad: [
    {
      name: 'username as password, and a wordlist hit',
      facts: {
        'config.passwords': {
          mosquitto: [file],
          crackTest: result({
            finished: 0,
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
    { name: 'only argon2id entries', facts: { 'config.passwords': { mosquitto: [file], crackTest: result({ tested: 0, finished: 0, attempts: 0, untested: [{ file: 'p', line: 1, column: 1, username: 'a', reason: 'argon2id entries cannot be tested' }] }) } } },
    {
      name: 'the time bound hit after 1 of 4 candidates: no PASS for that hash',
      facts: {
        'config.passwords': {
          mosquitto: [file],
          crackTest: result({ candidates: 4, tested: 1, finished: 0, attempts: 1, stoppedBy: 'max-seconds', unfinished: [{ file: '/etc/mosquitto/passwd', line: 1, column: 1, username: 'admin', tried: 1, reason: 'tried 1 of 4 candidates before the 5 s limit' }] }),
        },
      },
      message: 'tried 1 of 4 candidates before the 5 s limit',
    },
    {
      name: 'the candidate bound hit on every hash',
      facts: {
        'config.passwords': {
          mosquitto: [file],
          crackTest: result({
            candidates: 51,
            finished: 0,
            attempts: 22,
            stoppedBy: 'max-candidates',
            unfinished: ['admin', 'b'].map((username, i) => ({ file: '/etc/mosquitto/passwd', line: i + 1, column: 1, username, tried: 11, reason: "tried 11 of 51 candidates: the --max-candidates bound (10 of the list's 50 words)" })),
          }),
        },
      },
      message: '--max-candidates bound',
    },
  ],
} satisfies CheckCases;
