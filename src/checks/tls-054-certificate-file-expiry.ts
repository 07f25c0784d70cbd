import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

const DAY = 86_400_000;

export default defineCheck({
  meta: {
    id: 'TLS-054',
    name: 'certificate-file-expiry',
    title: 'Broker certificates are expired or about to expire',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.keys'],
    description:
      'Validity of every certificate in the broker\'s certificate, CA and key-bundle files (configs and certificate directories), judged at collection time: expired or not yet valid is a FAIL (high), expiring within `--expiry-warn-days` (default 30) a FAIL (medium). testssl.sh warns at 60 and 30 days; an expired broker or CA certificate stops every client that verifies it.',
    remediation: 'Renew the certificate (and CA) before it expires, automate renewal (ACME, an internal CA with short-lived certificates), and reload the broker (`systemctl reload mosquitto`, EMQX reloads certificates on change).',
    references: ['https://testssl.sh/doc/testssl.1.html', 'https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'sys.keys': k }) {
    const now = Date.parse(k.now);
    const files = k.files.filter((f) => f.certs?.length);
    if (!files.length) return { status: 'SKIP', message: 'no readable certificate of a broker found' };
    const out: Verdict[] = [];
    const warn = [...k.warnDays].sort((a, b) => a - b);
    for (const f of files) {
      if (f.systemStore) {
        out.push({ status: 'PASS', message: `${f.path} is the system trust store (${f.certs!.length} CA certificates, kept current by the ca-certificates package): not judged`, evidence: { path: f.path }, location: { file: f.path } });
        continue;
      }
      for (const c of f.certs!) {
        const left = Math.floor((Date.parse(c.notAfter) - now) / DAY);
        const evidence = { path: f.path, subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter, daysLeft: left, warnDays: k.warnDays };
        const what = `${f.role === 'ca' ? 'CA certificate' : 'certificate'} ${c.subject} in ${f.path}`;
        if (Date.parse(c.notAfter) < now) out.push({ status: 'FAIL', severity: 'high', message: `${what} expired on ${c.notAfter.slice(0, 10)}`, evidence, location: { file: f.path } });
        else if (Date.parse(c.notBefore) > now) out.push({ status: 'FAIL', severity: 'medium', message: `${what} is not valid before ${c.notBefore.slice(0, 10)}`, evidence, location: { file: f.path } });
        else if (left < warn[warn.length - 1]!) {
          // Like testssl.sh: the nearest threshold is medium, the farther ones low.
          const severity = left < warn[0]! ? 'medium' : 'low';
          out.push({ status: 'FAIL', severity, message: `${what} expires in ${left} days (${c.notAfter.slice(0, 10)})`, evidence, location: { file: f.path } });
        }
        else out.push({ status: 'PASS', message: `${what} is valid for ${left} more days`, evidence, location: { file: f.path } });
      }
    }
    return out;
  },
});
