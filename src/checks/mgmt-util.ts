/** Helpers shared by the management-interface checks (pure: the `mgmt.http` fact in, verdicts out). */
import type { ManagementProbes, ManagementProduct, MgmtInterface, MgmtPortSource } from '../core/facts.js';
import type { Verdict } from '../core/types.js';

export const PRODUCT_NAME: Record<ManagementProduct, string> = {
  emqx: 'EMQX dashboard / REST API',
  mosquitto: 'Mosquitto HTTP API',
  nanomq: 'NanoMQ HTTP server',
};

/** "EMQX dashboard / REST API on 18083 (HTTPS, 5.8.6)" */
export function interfaceName(i: MgmtInterface): string {
  const extra = [i.reach === 'https' ? 'HTTPS' : 'plain HTTP', i.version].filter(Boolean).join(', ');
  return `${i.product ? PRODUCT_NAME[i.product] : 'HTTP service'} on ${i.port} (${extra})`;
}

/** Why a port was probed, for the evidence. */
function probedBecause(s: MgmtPortSource): string {
  switch (s.kind) {
    case 'config':
      return `configured (${s.where ?? s.product ?? 'config'})`;
    case 'scan':
      return 'open in the port scan';
    case 'socket':
      return `listening socket of the ${s.product ?? 'broker'} process ${s.process ?? '?'} (pid ${s.pid ?? '?'})`;
    default:
      return `${s.product ?? 'management'} default`;
  }
}

/** Evidence of one interface: never a credential (none is collected). */
export function interfaceEvidence(i: MgmtInterface): Record<string, unknown> {
  return {
    port: i.port,
    reach: i.reach,
    ...(i.product && { product: i.product }),
    ...(i.version && { version: i.version }),
    probedBecause: i.sources.map((s) => probedBecause(s)),
    ...(i.certificate && { certificate: { subject: i.certificate.subject, issuer: i.certificate.issuer, validTo: i.certificate.validTo, selfSigned: i.certificate.selfSigned, trusted: i.certificate.authorized, fingerprint256: i.certificate.fingerprint256 } }),
    requests: i.requests.map((r) => `${r.method} ${r.path}${r.credentials ? ' (default credentials)' : ''} → ${r.status ?? r.error}${r.truncated ? ' (cut)' : ''}`),
    ...(i.anomalies.length && { anomalies: i.anomalies }),
  };
}

/**
 * Verdicts for the interfaces the probe could not judge: a broken exchange (timeout in the
 * middle of an answer, reset) is an ERROR; an HTTP service that is none of the three (or
 * answered garbage) is a SKIP. Ports where nothing answers, and ports that speak neither
 * HTTP nor HTTPS (an SSH port added with --ports), hold no management HTTP interface: not listed.
 */
export function unjudged(m: ManagementProbes): Verdict[] {
  const out: Verdict[] = [];
  for (const i of m.interfaces) {
    if (i.reach === 'error') out.push({ status: 'ERROR', message: `port ${i.port} on ${m.host}: ${i.detail ?? 'the probe failed'}`, evidence: interfaceEvidence(i), key: String(i.port) });
    else if ((i.reach === 'http' || i.reach === 'https') && !i.product)
      out.push({ status: 'SKIP', message: `port ${i.port} on ${m.host} answers ${i.reach.toUpperCase()}, but not as a known management interface: ${i.anomalies.join('; ')}`, evidence: interfaceEvidence(i), key: String(i.port) });
  }
  return out;
}

/** The identified interfaces. */
export const identified = (m: ManagementProbes) => m.interfaces.filter((i) => i.product);

/** "18083, 18084, 8081, 9883" */
export const probedPorts = (m: ManagementProbes) => m.interfaces.map((i) => i.port).join(', ');
