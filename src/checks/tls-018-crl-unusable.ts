import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-018',
    name: 'crl-unusable',
    title: 'CRL stale or badly signed',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.revocation'],
    description:
      'Every CRL consulted (the `--crl` files, and with `--revocation-online` the distribution points) must verify against its issuer\'s key and be current (its nextUpdate not passed at collection time). A stale CRL is what a broker with `crlfile` keeps using after the CA stopped publishing: revocations issued since are invisible to it. A CRL whose issuer is not in the served chain or `--ca` cannot be verified: that is reported too.',
    remediation:
      'Publish CRLs before nextUpdate (cron `openssl ca -gencrl`, or the CA\'s schedule) and distribute them to the brokers: Mosquitto `crlfile` (reloaded on SIGHUP), EMQX `listeners.ssl.default.ssl_options.enable_crl_check = true` (it fetches and caches the distribution points, `crl_cache.refresh_interval`). Give this audit the CRL the broker uses (`--crl`) and the issuing CA (`--ca`).',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc5280#section-5.1.2.5'],
  },
  judge({ 'tls.revocation': r }) {
    const crls = r.sources.filter((s) => s.kind === 'crl-file' || s.kind === 'crl-online');
    if (!crls.length) return { status: 'SKIP', message: r.crlFiles.length || r.online ? 'no CRL could be read' : 'no CRL consulted (give --crl FILE or --revocation-online)' };
    const verdicts: Verdict[] = [];
    for (const s of crls) {
      const evidence = { where: s.where, certificate: s.certificate, thisUpdate: s.thisUpdate, nextUpdate: s.nextUpdate, now: r.now, signatureValid: s.signatureValid };
      if (s.status === 'unusable') verdicts.push({ status: 'FAIL', message: `${s.where}: ${s.detail}`, evidence });
      else if (s.nextUpdate && Date.parse(s.nextUpdate) < Date.parse(r.now)) verdicts.push({ status: 'FAIL', message: `${s.where}: stale, its nextUpdate ${s.nextUpdate} has passed`, evidence });
    }
    if (verdicts.length) return verdicts;
    return { status: 'PASS', message: `${crls.length} CRL check(s), each correctly signed and current (${crls.map((s) => `${s.where} until ${s.nextUpdate ?? 'no nextUpdate'}`).join(', ')})` };
  },
});
