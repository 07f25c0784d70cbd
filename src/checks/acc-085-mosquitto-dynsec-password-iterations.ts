import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { dynsecLoc, dynsecVerdicts, loadedDynsec } from './dynsec-util.js';

/** PBKDF2 iterations Mosquitto 2.1 uses for new hashes (2.0.x used 101). */
const MIN_ITERATIONS = 1000;

export default defineCheck({
  meta: {
    id: 'ACC-085',
    name: 'mosquitto-dynsec-password-iterations',
    title: 'Mosquitto dynamic-security password hashes with too few PBKDF2 iterations',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.dynsec'],
    description:
      'Client passwords are stored as PBKDF2-SHA512 (`$7$iterations$salt$hash` in `encoded_password`, or the 2.0 fields `password`/`salt`/`iterations`) or argon2id. Mosquitto 2.0 wrote 101 iterations, 2.1 writes 1,000: anyone who reads the file can test candidate passwords about ten times faster against a 2.0 hash. Hashes below 1,000 iterations are reported; argon2id hashes are accepted.',
    remediation:
      'Set the password again with Mosquitto 2.1 (`mosquitto_ctrl -u admin dynsec setClientPassword USERNAME`, which stores 1,000 iterations or argon2id) and keep the file readable by the broker only (`chmod 0600`).',
    references: ['https://mosquitto.org/documentation/dynamic-security/', 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
  },
  judge({ 'config.dynsec': d }) {
    const { configs, unread } = loadedDynsec(d);
    const fails: Verdict[] = [];
    let hashes = 0;
    for (const cfg of configs) {
      for (const c of cfg.clients) {
        const cr = c.credential;
        if (cr.scheme === 'argon2id') hashes++;
        if (cr.scheme !== 'pbkdf2') continue;
        hashes++;
        if (cr.iterations < MIN_ITERATIONS) {
          fails.push({
            status: 'FAIL',
            message: `client "${c.username}" (${c.at.pointer}): PBKDF2 with ${cr.iterations} iterations${cr.legacy ? ' (Mosquitto 2.0 fields password/salt/iterations)' : ''}, below ${MIN_ITERATIONS}`,
            location: dynsecLoc(c.at),
            key: c.username,
          });
        }
      }
    }
    if (!fails.length && !unread.length && !hashes) return { status: 'SKIP', message: 'no dynamic-security client has a password hash' };
    return dynsecVerdicts(fails, unread, `${hashes} password hash(es) use argon2id or PBKDF2 with at least ${MIN_ITERATIONS} iterations`);
  },
});
