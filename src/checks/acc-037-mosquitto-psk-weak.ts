import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr, unreadFilesSkip } from './config-util.js';

const MIN_BITS = 128;

export default defineCheck({
  meta: {
    id: 'ACC-037',
    name: 'mosquitto-psk-weak',
    title: 'Short or malformed TLS pre-shared keys',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description: `Reads PSK files (\`identity:hexkey\`): a key shorter than ${MIN_BITS} bits can be brute-forced offline from one captured handshake; a key that is not hexadecimal is not usable. Key material is never reported.`,
    remediation: 'Generate keys with `openssl rand -hex 32` (256 bits), one per device identity, and keep the file mode 0640.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://www.rfc-editor.org/rfc/rfc9257'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.pskFiles.length) return { status: 'SKIP', message: 'no PSK file given or referenced by psk_file' };
    const fails: Verdict[] = [];
    let n = 0;
    for (const f of m.pskFiles) {
      for (const e of f.parsed?.entries ?? []) {
        n++;
        if (!e.validHex) fails.push({ status: 'FAIL', severity: 'medium', message: `identity "${e.identity}": the key is not hexadecimal`, location: at(e) });
        else if (e.keyBits < MIN_BITS) fails.push({ status: 'FAIL', message: `identity "${e.identity}": ${e.keyBits}-bit key, below ${MIN_BITS} bits`, location: at(e) });
      }
    }
    if (!n) return { status: 'SKIP', message: `no PSK entry read (${m.pskFiles.map((f) => `${f.path}${f.error ? `: ${f.error}` : ''}`).join(', ')})` };
    // A PSK file not read may hold the short key: no PASS then (CFG-033 reports the file itself).
    const skip = fails.length ? undefined : unreadFilesSkip(m.pskFiles, 'PSK file', `hold ${n} keys of at least ${MIN_BITS} bits`, 'keys');
    if (skip) return skip;
    return failuresOr(fails, `${n} PSK keys of at least ${MIN_BITS} bits`);
  },
});
