import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'TLS-055',
    name: 'tls-file-missing',
    title: 'TLS files referenced by the broker config are missing or unreadable',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.keys'],
    description:
      'Every certificate, key, CA, CRL and DH parameter file a broker config references must exist. A missing key or certificate stops the listener (Mosquitto refuses to start); a missing `crlfile` or CA file means revocation or client verification is not what the config says. The result points at the config line.',
    remediation: 'Restore the file at the configured path (or fix the path), check that the broker user can read it, and restart the broker; keep CRLs updated by the CA process.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'sys.keys': k }) {
    const referenced = k.files.filter((f) => f.refs.length);
    if (!referenced.length) return { status: 'SKIP', message: 'no broker config references a TLS file' };
    return referenced.flatMap((f): Verdict[] => {
      const evidence = { path: f.path, role: f.role, referencedBy: f.refs };
      if (!f.exists && !f.readError) return f.refs.map((ref) => ({ status: 'FAIL' as const, message: `${f.role} file ${f.path} is referenced but does not exist`, evidence, location: ref }));
      if (f.readError) return [{ status: 'ERROR', message: `${f.role} file ${f.path}: ${f.readError}`, evidence, location: f.refs[0]! }];
      return [{ status: 'PASS', message: `${f.role} file ${f.path} exists`, evidence, location: f.refs[0]! }];
    });
  },
});
