import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName, daysBetween } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-010',
    name: 'certificate-expiry',
    title: 'Certificate expired, not yet valid, or expiring soon',
    strategy: 'tls',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'Compares notBefore/notAfter of every served certificate with the collection time: expired or not yet valid is a FAIL (high; critical for the leaf), expiry within the warning thresholds (`--expiry-warn-days`, default 30 and 60 as testssl.sh does) a medium resp. low FAIL. The days left are in the evidence. Trust anchors added from the store are not judged.',
    remediation:
      'Renew before expiry and automate it (ACME, an internal CA with monitoring). Install the new files and reload: Mosquitto `certfile`/`keyfile` (reloaded on SIGHUP), EMQX `listeners.ssl.default.ssl_options.certfile`/`keyfile` (hot-reloaded by `emqx ctl` or the dashboard). Check the server clock when a certificate is "not yet valid".',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.certificate': c }) {
    const served = c.chain.filter((x) => x.source === 'served');
    if (!served.length) return { status: 'ERROR', message: 'the server sent no certificate' };
    const warn = [...c.warnDays].sort((a, b) => a - b);
    const verdicts: Verdict[] = [];
    served.forEach((x, i) => {
      const daysLeft = daysBetween(c.now, x.notAfter);
      const evidence = { certificate: certName(x), notBefore: x.notBefore, notAfter: x.notAfter, daysLeft, now: c.now, warnDays: warn };
      const what = i === 0 ? 'the server certificate' : `chain certificate ${certName(x)}`;
      if (Date.parse(c.now) > Date.parse(x.notAfter)) verdicts.push({ status: 'FAIL', severity: i === 0 ? 'critical' : 'high', message: `${what} expired ${-daysLeft} day(s) ago (${x.notAfter})`, evidence });
      else if (Date.parse(c.now) < Date.parse(x.notBefore)) verdicts.push({ status: 'FAIL', severity: i === 0 ? 'critical' : 'high', message: `${what} is not valid before ${x.notBefore}`, evidence });
      else {
        const hit = warn.find((d) => daysLeft < d);
        if (hit !== undefined) verdicts.push({ status: 'FAIL', severity: hit === warn[0] ? 'medium' : 'low', message: `${what} expires in ${daysLeft} day(s) (${x.notAfter}), within the ${hit}-day warning`, evidence });
      }
    });
    if (verdicts.length) return verdicts;
    const leafDays = daysBetween(c.now, served[0]!.notAfter);
    return { status: 'PASS', message: `the served certificates are valid; the server certificate for ${leafDays} more day(s)`, evidence: { daysLeft: leafDays, notAfter: served[0]!.notAfter, now: c.now } };
  },
});
