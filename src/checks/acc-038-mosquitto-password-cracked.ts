import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-038',
    name: 'mosquitto-password-cracked',
    title: 'Stored Mosquitto password found in a wordlist (crack test)',
    strategy: 'access',
    severity: 'critical',
    scope: 'system',
    intrusive: false,
    needs: ['config.passwords'],
    description:
      'Runs only with `mqtt-warden passwd audit --crack-test WORDLIST`: every verifiable hash ($6$, $7$) is tested against the user\'s own name and the wordlist, bounded in candidates and time. A hash passes only when every candidate was tried against it: one cut short by `--max-candidates` or `--max-seconds` SKIPs and says how many candidates it got through (raise the bound to finish it), and malformed entries (ACC-036) are never derived. A hit means anyone with the file (or with network access and patience) has the password. The passwords found are never reported.',
    remediation:
      'Reset the reported users\' passwords to generated ones: `mqtt-warden passwd gen` prints one and `mqtt-warden passwd hash USER --file /etc/mosquitto/passwd` stores it (hidden prompt; `mosquitto_passwd /etc/mosquitto/passwd USER` is the alternative, with 2.0\'s 101 iterations). Keep the password file mode 0640 and reload the broker (SIGHUP).',
    references: ['https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
  },
  judge({ 'config.passwords': p }) {
    const c = p.crackTest;
    if (!c) return { status: 'SKIP', message: 'no crack test run (passwd audit --crack-test WORDLIST)' };
    const evidence = { wordlist: c.wordlist, candidatesPerHash: c.candidates, tested: c.tested, finished: c.finished, attempts: c.attempts, stoppedBy: c.stoppedBy, unfinished: c.unfinished.length, untested: c.untested.length };
    const out: Verdict[] = c.cracked.map((x) => ({
      status: 'FAIL',
      message: `user "${x.username}": the password ${x.source === 'username' ? 'is the username' : `is in ${c.wordlist}`}`,
      location: at(x),
      key: x.username,
      evidence,
    }));
    // A hash cut short by a bound, or never started, is not a PASS: one SKIP per hash, at its line.
    for (const u of c.unfinished) out.push({ status: 'SKIP', message: `user "${u.username}": not finished, ${u.reason}`, location: at(u), key: u.username, evidence });
    for (const u of c.untested) out.push({ status: 'SKIP', message: `user "${u.username}": not tested (${u.reason})`, location: { file: u.file, line: u.line, column: u.column }, key: u.username, evidence });
    if (c.finished) out.push({ status: 'PASS', message: `none of ${c.finished} hashes fell to ${c.wordlist} (every one of the ${c.candidates} candidates tried against each)`, evidence });
    if (!out.length) return { status: 'SKIP', message: 'no password entries to test', evidence };
    return out;
  },
});
