import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'UPD-050',
    name: 'package-lists-stale',
    title: 'Package lists are older than the update cadence',
    strategy: 'updates',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.updates', 'policy'],
    description:
      'The package manager only knows the updates its package lists name: lists that nothing refreshes make every later "nothing pending" meaningless, security fixes included. The age is that of the newest list file (APT: `/var/lib/apt/lists/*Release` and `*_Packages`), held against the security policy\'s update cadence, `updates.maxListsAgeDays` (default 7 days). Where the package manager gives no list age (dnf, zypper, apk refresh their metadata themselves when asked), the check says SKIP.',
    remediation:
      'Refresh the lists on a schedule: on Debian/Ubuntu install `unattended-upgrades` and keep `APT::Periodic::Update-Package-Lists "1";` and `APT::Periodic::Unattended-Upgrade "1";` in /etc/apt/apt.conf.d/20auto-upgrades (`systemctl enable --now apt-daily.timer apt-daily-upgrade.timer`); now: `apt-get update`, then see UPD-002 and UPD-003.',
    references: ['https://wiki.debian.org/UnattendedUpgrades', 'https://manpages.debian.org/bookworm/apt/apt.conf.5.en.html'],
  },
  judge({ 'sys.updates': u, policy }) {
    const max = policy.updates.maxListsAgeDays;
    const evidence = { manager: u.manager, source: u.source, listsAgeDays: u.listsAgeDays, maxListsAgeDays: max };
    if (u.listsAgeDays === undefined) return { status: 'SKIP', message: `${u.manager} gives no age of its package lists (${u.source})`, evidence };
    if (u.listsAgeDays > max) {
      return {
        status: 'FAIL',
        message: `the package lists are ${u.listsAgeDays} days old, older than the policy's ${max} (updates.maxListsAgeDays): updates published since, security fixes included, are not seen`,
        evidence,
      };
    }
    return { status: 'PASS', message: `the package lists are ${u.listsAgeDays} day${u.listsAgeDays === 1 ? '' : 's'} old (the policy allows ${max})`, evidence };
  },
});
