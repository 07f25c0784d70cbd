import { defineCheck } from '../core/check.js';
import { plural } from './system-helpers.js';

export default defineCheck({
  meta: {
    id: 'UPD-002',
    name: 'pending-updates',
    title: 'Package updates are pending',
    strategy: 'updates',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.updates', 'policy'],
    description:
      'Asks the package manager which installed packages have newer versions in its package lists, without changing anything. APT: the installed packages of dpkg\'s status against the package lists, the candidate being the highest version (APT\'s own choice when no pin, `APT::Default-Release` or NotAutomatic suite can change it, which test/apt-data.test.ts proves equal to the simulation on the machine it runs on); otherwise, or when the lists cannot be read, `apt-get -s dist-upgrade` (simulation, no lock; for `--root DIR` this host\'s apt-get reads the root\'s own dpkg status, sources and lists). Others: `dnf/yum check-update`, `zypper list-updates`, `apk version -l "<"`. The broker, OpenSSL and the kernel are only as patched as the host. Package lists the package manager cannot use are not "no updates": with none usable (APT ignores list files for an architecture or source it is not configured for, e.g. copied from another machine) the check SKIPs with the reason, and with some suites\' lists ignored it cannot PASS either. Nothing pending according to lists older than the security policy\'s `updates.maxListsAgeDays` (default 7) is a SKIP too: UPD-050 reports the stale lists.',
    remediation:
      'Refresh the package lists and install the updates (`apt-get update && apt-get upgrade`, `dnf upgrade`, `zypper update`, `apk upgrade`), then restart the services that use updated libraries. Automate security updates (Debian/Ubuntu `unattended-upgrades`, `dnf-automatic`).',
    references: ['https://wiki.debian.org/UnattendedUpgrades', 'https://www.debian.org/doc/manuals/securing-debian-manual/ch04s02.en.html'],
  },
  judge({ 'sys.updates': u, policy }) {
    const maxAge = policy.updates.maxListsAgeDays;
    const n = u.pending.length;
    const evidence = { manager: u.manager, source: u.source, pending: u.pending.slice(0, 50), count: n, listsAgeDays: u.listsAgeDays };
    if (n) {
      const sample = u.pending.slice(0, 8).map((p) => `${p.name} ${p.from ?? '?'} → ${p.to}`).join(', ');
      return { status: 'FAIL', message: `${plural(n, 'package update')} pending (${u.source}): ${sample}${n > 8 ? ', …' : ''}`, evidence };
    }
    if (u.unusedLists?.length) {
      const n = u.unusedLists.length;
      return { status: 'SKIP', message: `no package update pending in the lists apt could use, but it ignores ${n} package list${n > 1 ? 's' : ''} with nothing usable beside them (${u.unusedLists.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}): what those suites hold was not compared; run apt-get update`, evidence: { ...evidence, unusedLists: u.unusedLists } };
    }
    if (u.listsAgeDays !== undefined && u.listsAgeDays > maxAge) {
      return { status: 'SKIP', message: `no update pending according to package lists that are ${u.listsAgeDays} days old, older than the policy's ${maxAge} (updates.maxListsAgeDays, see UPD-050): refresh them (apt-get update) to know`, evidence };
    }
    return { status: 'PASS', message: `no package update pending (${u.source}${u.listsAgeDays !== undefined ? `, lists ${u.listsAgeDays} days old` : ''})`, evidence };
  },
});
