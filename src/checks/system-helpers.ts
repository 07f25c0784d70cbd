/** Shared by the host ("system") checks: pure formatting and advisory matching. */
import type { Advisory } from '../advisories/db.js';
import { fixedVersions } from '../advisories/db.js';
import { inRange } from '../advisories/version.js';
import type { SoftwareComponent, SoftwareInventory } from '../collectors/system/types.js';
import type { PortCheck } from '../core/facts.js';
import { SEVERITIES, type Severity, type Verdict } from '../core/types.js';

export function lower(s: Severity): Severity {
  return SEVERITIES[Math.max(1, SEVERITIES.indexOf(s) - 1)]!;
}

export function mode(m: number | undefined): string {
  return m === undefined ? '?' : `0${(m & 0o7777).toString(8).padStart(3, '0')}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const NAMES: Record<SoftwareComponent['product'], string> = { openssl: 'OpenSSL', mosquitto: 'Mosquitto', emqx: 'EMQX' };

/**
 * One verdict per advisory that affects any component of the product. A match on
 * a distribution build is reported one severity lower, with the backport caveat;
 * a vanilla build (no distro package) is definitive.
 */
export function advisoryVerdicts(inv: SoftwareInventory, product: SoftwareComponent['product']): Verdict[] {
  const name = NAMES[product];
  const comps = inv.components.filter((c) => c.product === product);
  if (!comps.length) {
    const relevant = inv.looked.filter((l) => !/openssl|mosquitto|emqx|\/proc\//i.test(l) || new RegExp(product, 'i').test(l));
    return [{ status: 'SKIP', message: `no ${name} found (looked at: ${relevant.join('; ')})` }];
  }
  const advisories = inv.db.advisories.filter((a) => a.product === product);
  const verdicts: Verdict[] = [];
  for (const a of advisories) {
    const hit = comps.filter((c) => {
      try {
        return a.ranges.some((r) => inRange(c.release, r));
      } catch {
        return false;
      }
    });
    if (!hit.length) continue;
    const vanilla = hit.filter((c) => !c.distro);
    const fixed = fixedVersions(a);
    const where = hit.map((c) => `${c.version} (${c.where})`).join(', ');
    const caveat = vanilla.length
      ? ''
      : ` — built by the distribution (${[...new Set(hit.map((c) => `${c.distro!.package} ${c.distro!.version}`))].join(', ')}), which may have backported the fix: check the package changelog or the distribution's security tracker for ${a.id}`;
    verdicts.push({
      status: 'FAIL',
      severity: vanilla.length ? a.severity : lower(a.severity),
      message: `${a.id} (${a.severity}): ${a.title}; affects ${name} ${where}; first fixed in ${fixed.join(' / ') || 'no fixed release recorded'}${caveat}`,
      evidence: { cve: a.id, severity: a.severity, fixedIn: fixed, components: hit, distroBuildOnly: !vanilla.length, references: a.references, advisorySnapshot: inv.db.snapshot },
    });
  }
  if (verdicts.length) return verdicts;
  const versions = [...new Set(comps.map((c) => c.version))];
  return [
    {
      status: 'PASS',
      message: `${name} ${versions.join(', ')}: none of the ${plural(advisories.length, `${name} advisory`).replace(/advisorys/, 'advisories')} of the database (snapshot ${inv.db.snapshot}) applies`,
      evidence: { components: comps, advisorySnapshot: inv.db.snapshot, database: inv.db.file },
    },
  ];
}

export type { Advisory };

/**
 * Whether the port plan (`audit --port-plan`, fact ports.check) judges this socket: every
 * network socket in the plan's socket table is judged by SVC-052 (not planned) or SVC-054
 * (planned for a restricted audience, open to all), so SVC-003/004 leave it to them and one
 * socket gives one finding. Without the plan, or when its socket table lacks the socket
 * (unreadable), it is not judged there.
 */
export function judgedByPortPlan(plan: PortCheck | undefined, s: { proto: string; family: number; address: string; port: number; loopback: boolean }): boolean {
  if (!plan || s.loopback) return false;
  return plan.sockets.some((p) => !p.loopback && p.proto === s.proto && p.family === s.family && p.address === s.address && p.port === s.port);
}
