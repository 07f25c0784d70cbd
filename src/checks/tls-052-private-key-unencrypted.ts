import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'TLS-052',
    name: 'private-key-unencrypted',
    title: 'Broker private keys are stored without a passphrase',
    strategy: 'tls',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['sys.keys'],
    description:
      'Loads every broker private key with node:crypto: a key that loads without a passphrase is stored in clear, so file permissions (TLS-051) and disk encryption (CFG-005) are its only protection, and every backup holds it usable. EMQX can use encrypted keys (`ssl_options.password`); Mosquitto cannot read a passphrase at service start, so there the permissions matter.',
    remediation:
      'EMQX: encrypt the key (`openssl pkey -in key.pem -aes256 -out key.enc.pem`) and set `ssl_options.password` (from an environment variable or secret file). Mosquitto: keep the key 0600/0640 on an encrypted disk, out of backups, and rotate it on exposure.',
    references: ['https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html', 'https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'sys.keys': k }) {
    const keys = k.files.filter((f) => f.role === 'key' && f.exists);
    if (!keys.length) return { status: 'SKIP', message: `no private key referenced by a broker config or found in ${k.searched.join(', ') || 'the certificate directories'}` };
    return keys.map((f): Verdict => {
      const evidence = { path: f.path, key: f.key, product: f.product };
      if (f.readError) return { status: 'ERROR', message: `cannot read private key ${f.readError}`, evidence, location: { file: f.path } };
      if (!f.key || f.key.parseError) return { status: 'ERROR', message: `${f.file}: not a private key Node can load (${f.key?.parseError ?? 'no key'})`, evidence, location: { file: f.path } };
      if (f.key.encrypted) return { status: 'PASS', message: `private key ${f.path} is encrypted${f.passphraseConfigured ? ' (passphrase configured)' : ''}`, evidence, location: { file: f.path } };
      const hint = f.product === 'emqx' ? ': encrypt it and set ssl_options.password' : f.product === 'mosquitto' ? ' (Mosquitto cannot prompt for a passphrase at service start: rely on permissions and disk encryption)' : '';
      return { status: 'FAIL', message: `private key ${f.path} (${f.key.type}${f.key.bits ? ` ${f.key.bits}` : ''}) is stored without a passphrase${hint}`, evidence, location: { file: f.path } };
    });
  },
});
