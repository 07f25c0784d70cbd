import { defineCheck, verdictList, type JudgeContext } from '../core/check.js';
import type { FactTypes, MgmtInterface, TlsCertificate } from '../core/facts.js';
import type { Severity, Verdict } from '../core/types.js';
import { severityRank } from '../core/types.js';
import { DEFAULT_POLICY } from '../config/policy.js';
import { certName, EMQX_TLS_REF, keyWeakness } from './tls-common.js';
import { interfaceEvidence, interfaceName, probedPorts } from './mgmt-util.js';
import certificateExpiry from './tls-010-certificate-expiry.js';
import hostnameMismatch from './tls-008-hostname-mismatch.js';

/** The FAILs of a certificate check of the endpoints, judged on the chain a management interface served. */
function failsOf(check: { judge: (facts: FactTypes, ctx: JudgeContext) => Verdict | readonly Verdict[] }, c: TlsCertificate, ctx: JudgeContext): { message: string; severity?: Severity }[] {
  return verdictList(check.judge({ 'tls.certificate': c } as FactTypes, ctx)).flatMap((v) => (v.status === 'FAIL' ? [{ message: v.message, ...(v.severity && { severity: v.severity }) }] : []));
}

export default defineCheck({
  meta: {
    id: 'SVC-082',
    name: 'management-tls-certificate',
    title: "A management interface's TLS certificate is expired, self-signed, weak or for another name",
    strategy: 'services',
    severity: 'medium',
    scope: 'host',
    intrusive: false,
    needs: ['mgmt.http'],
    uses: ['policy'],
    description:
      'Judges the certificate chain each management interface that answered over HTTPS served to the probe (the EMQX dashboard on 18084 or a `dashboard.listeners.https`, a Mosquitto `http_api` listener with TLS; docs/management-probes.md), with the rules of the MQTT endpoints\' certificate checks: expired or not yet valid (high), expiring within the warning thresholds (`--expiry-warn-days`, else the policy\'s `tls.expiryWarningDays`; as TLS-010), a self-signed leaf (as TLS-013), a key below the policy\'s `tls.minRsaBits` / `tls.minEcBits` or DSA (as TLS-053), and a leaf that does not name the host the probe asked (as TLS-008; not judged from loopback, where the name operators use is not known). Administrators who learn to click through a certificate warning on the dashboard will click through the one an interception shows them. Trust by the system store is not required: a private CA is fine. SKIP when no interface answered over TLS.',
    remediation:
      'Issue the dashboard a certificate from your CA for the name administrators use (`subjectAltName = DNS:emqx-admin.example.com`), with an EC P-256 or RSA 3072 key, renewed before expiry, and install it: EMQX `dashboard.listeners.https.ssl_options.certfile` and `keyfile` (with `dashboard.listeners.https.bind = 18084`); Mosquitto `certfile`/`keyfile` under the `protocol http_api` listener. Reload the broker (`emqx ctl` or restart; Mosquitto: SIGHUP).',
    references: [EMQX_TLS_REF, 'https://docs.emqx.com/en/emqx/latest/configuration/dashboard.html', 'https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final', 'https://www.rfc-editor.org/rfc/rfc6125'],
  },
  judge({ 'mgmt.http': m, policy = DEFAULT_POLICY }, ctx) {
    const secure = m.interfaces.filter((i) => i.reach === 'https');
    if (!secure.length) return { status: 'SKIP', message: `no management interface answered over TLS on ${m.host} (ports ${probedPorts(m) || 'none'})` };
    return secure.map((i: MgmtInterface): Verdict => {
      const c = i.certificate;
      const evidence = interfaceEvidence(i);
      const key = String(i.port);
      if (!c?.chain?.length || !c.seenAt)
        return { status: 'ERROR', message: `${interfaceName(i)}: the served certificate could not be read${c?.chainError ? ` (${c.chainError})` : ''}`, evidence, key };
      const chain: TlsCertificate = {
        host: m.host,
        now: c.seenAt,
        warnDays: c.warnDays ?? policy.tls.expiryWarningDays,
        protocol: '',
        cipher: '',
        chain: c.chain,
        trust: { verified: c.authorized, ...(c.authorizationError && { error: c.authorizationError }), anchors: 'the system trust store' },
      };
      const leaf = c.chain[0]!;
      const problems: { text: string; severity: Severity }[] = [];
      // Validity and the warning window: TLS-010's rule (expired or not yet valid: high here, a dashboard is not the MQTT service).
      for (const v of failsOf(certificateExpiry, chain, ctx)) problems.push({ text: v.message, severity: v.severity === 'critical' ? 'high' : (v.severity ?? 'medium') });
      if (leaf.selfSigned) problems.push({ text: `${certName(leaf)} is self-signed`, severity: 'medium' });
      for (const x of c.chain) {
        const w = keyWeakness(x.keyType, x.keyBits, policy.tls);
        if (w) problems.push({ text: `${certName(x)}: weak key, ${w.why}`, severity: w.severity });
      }
      const names = [...leaf.san.dns, ...leaf.san.ip];
      if (!ctx.loopback) for (const v of failsOf(hostnameMismatch, chain, ctx)) problems.push({ text: v.message, severity: 'medium' });
      const certEvidence = {
        ...evidence,
        chain: c.chain.map((x) => ({ subject: x.subject, issuer: x.issuer, notBefore: x.notBefore, notAfter: x.notAfter, key: `${x.keyType} ${x.keyBits}${x.curve ? ` (${x.curve})` : ''}`, selfSigned: x.selfSigned, san: [...x.san.dns, ...x.san.ip] })),
        seenAt: c.seenAt,
        warnDays: chain.warnDays,
        minRsaBits: policy.tls.minRsaBits,
        minEcBits: policy.tls.minEcBits,
      };
      if (problems.length) {
        const severity = problems.map((p) => p.severity).reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
        return { status: 'FAIL', severity, message: `${interfaceName(i)}: ${problems.map((p) => p.text).join('; ')}`, evidence: certEvidence, key };
      }
      const nameNote = ctx.loopback ? `; the names (${names.join(', ') || leaf.cn || 'none'}) are not judged from loopback` : '';
      return {
        status: 'PASS',
        message: `${interfaceName(i)}: ${certName(leaf)} issued by ${leaf.issuer}, valid until ${leaf.notAfter}, key ${leaf.keyType} ${leaf.keyBits}${nameNote}`,
        evidence: certEvidence,
        key,
      };
    });
  },
});
