import { defineCheck } from '../core/check.js';
import { plural } from './system-helpers.js';

export default defineCheck({
  meta: {
    id: 'UPD-003',
    name: 'pending-security-updates',
    title: 'Security updates are pending',
    strategy: 'updates',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.updates', 'policy'],
    description:
      'Of the pending updates (see UPD-002), those that come from a security origin: APT origins such as `Debian-Security` or `<codename>-security`, `dnf updateinfo list --security`, zypper security patches. apk has no security classification, so on Alpine this check only sees what UPD-002 sees. As for UPD-002, lists the package manager cannot use (a security suite whose list APT ignores) give SKIP with the reason, never "no security update pending", and so do lists older than the security policy\'s `updates.maxListsAgeDays` (default 7; UPD-050 reports them).',
    remediation:
      'Install the security updates now (`apt-get upgrade` with the security source enabled, `dnf upgrade --security`, `zypper patch --category security`), restart the affected services (see UPD-007, `needrestart`), and enable automatic security updates.',
    references: ['https://www.debian.org/security/', 'https://wiki.debian.org/UnattendedUpgrades'],
  },
  judge({ 'sys.updates': u, policy }) {
    const maxAge = policy.updates.maxListsAgeDays;
    const sec = u.pending.filter((p) => p.security);
    const evidence = { manager: u.manager, source: u.source, security: sec.slice(0, 50), count: sec.length };
    if (sec.length) {
      const sample = sec.slice(0, 8).map((p) => `${p.name} ${p.from ?? '?'} → ${p.to}`).join(', ');
      return { status: 'FAIL', message: `${plural(sec.length, 'security update')} pending (${u.source}): ${sample}${sec.length > 8 ? ', …' : ''}`, evidence };
    }
    if (u.unusedLists?.length) {
      const n = u.unusedLists.length;
      return { status: 'SKIP', message: `no security update pending in the lists apt could use, but it ignores ${n} package list${n > 1 ? 's' : ''} with nothing usable beside them (${u.unusedLists.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}): what those suites hold was not compared; run apt-get update`, evidence: { ...evidence, unusedLists: u.unusedLists } };
    }
    if (u.listsAgeDays !== undefined && u.listsAgeDays > maxAge) {
      return { status: 'SKIP', message: `no security update pending according to package lists that are ${u.listsAgeDays} days old, older than the policy's ${maxAge} (updates.maxListsAgeDays, see UPD-050): refresh them (apt-get update) to know`, evidence };
    }
    return { status: 'PASS', message: `no security update pending (${u.source})`, evidence };
  },
});
