import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

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
      'Runs only with `mqtt-warden passwd audit --crack-test WORDLIST`: every verifiable hash ($6$, $7$) is tested against the user\'s own name and the wordlist, bounded in candidates and time. A hit means anyone with the file (or with network access and patience) has the password. The passwords found are never reported.',
    remediation:
      'Reset the reported users\' passwords to generated ones: `mqtt-warden passwd gen` prints one and `mqtt-warden passwd hash USER --file /etc/mosquitto/passwd` stores it (hidden prompt; `mosquitto_passwd /etc/mosquitto/passwd USER` is the alternative, with 2.0\'s 101 iterations). Keep the password file mode 0640 and reload the broker (SIGHUP).',
    references: ['https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
  },
  judge({ 'config.passwords': p }) {
    const c = p.crackTest;
    if (!c) return { status: 'SKIP', message: 'no crack test run (passwd audit --crack-test WORDLIST)' };
    const evidence = { wordlist: c.wordlist, tested: c.tested, attempts: c.attempts, stoppedBy: c.stoppedBy, untested: c.untested.length };
    const fails: Verdict[] = c.cracked.map((x) => ({
      status: 'FAIL',
      message: `user "${x.username}": the password ${x.source === 'username' ? 'is the username' : `is in ${c.wordlist}`}`,
      location: at(x),
      evidence,
    }));
    if (!fails.length && !c.tested) return { status: 'SKIP', message: `no verifiable hash tested (${c.untested.map((u) => u.reason).join('; ') || 'no entries'})` };
    return failuresOr(fails, `none of ${c.tested} hashes fell to ${c.wordlist} (${c.attempts} candidates, ${c.stoppedBy})`, evidence);
  },
});
