import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, NO_MOSQUITTO_CONFIG } from './config-util.js';

/** OpenSSL cipher-string elements that enable broken or unauthenticated suites when not negated. */
const WEAK = /^(ALL|COMPLEMENTOFALL|COMPLEMENTOFDEFAULT|e?NULL|aNULL|LOW|MEDIUM|MD5|(RC4|DES|3DES|NULL|EXP|EXPORT\d*|ADH|AECDH|IDEA|SEED)(-.*)?|.*-(RC4|DES|NULL|EXPORT|EXP|MD5|anon)(-.*)?|.*DES-CBC3.*|.*_WITH_NULL_.*|.*_anon_.*)$/i;

/** Which elements of an OpenSSL cipher string turn weak suites on (elements after "!" or "-" remove them). */
export function weakCipherElements(list: string): string[] {
  const removed = new Set(
    list
      .split(/[:, ]+/)
      .filter((e) => e.startsWith('!') || e.startsWith('-'))
      .map((e) => e.slice(1).toUpperCase()),
  );
  return list
    .split(/[:, ]+/)
    .filter((e) => e && !/^[!\-+@]/.test(e))
    .flatMap((e) => e.split('+'))
    .filter((e) => WEAK.test(e) && !removed.has(e.toUpperCase()) && !(/^ALL$/i.test(e) && ['ANULL', 'ENULL', 'NULL'].every((x) => removed.has(x))));
}

export default defineCheck({
  meta: {
    id: 'TLS-031',
    name: 'mosquitto-weak-ciphers',
    title: 'Mosquitto `ciphers` enables weak or unauthenticated suites',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Reads the OpenSSL cipher string of each TLS listener (`ciphers`, TLS 1.2 and below) and reports elements that turn on NULL, anonymous (aNULL/ADH/AECDH), export, RC4, DES/3DES, MD5 or LOW/MEDIUM suites without removing them with `!`. Unset `ciphers` uses OpenSSL\'s defaults, which are fine.',
    remediation: 'Remove `ciphers` to use the OpenSSL defaults, or use a modern list such as `ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305` (Mozilla "intermediate").',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://ssl-config.mozilla.org/', 'https://docs.openssl.org/3.0/man1/openssl-ciphers/'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoListeners(m.configs)) {
      const d = l.settings.ciphers;
      if (!l.tls || !d) continue;
      const weak = weakCipherElements(d.value);
      if (weak.length) fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)}: ciphers enables ${weak.join(', ')}`, location: listenerLoc(l, d), evidence: { ciphers: d.value } });
    }
    return failuresOr(fails, 'no TLS listener enables weak cipher suites');
  },
});
