import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-003',
    name: 'mandatory-access-control',
    title: 'No mandatory access control (SELinux/AppArmor) is enforcing',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.mac'],
    description:
      'SELinux mode from `/sys/fs/selinux/enforce` (offline: `SELINUX=` in /etc/selinux/config) and AppArmor from `/sys/module/apparmor/parameters/enabled` with the loaded profiles (offline: apparmor_parser and /etc/apparmor.d). Mandatory access control confines a compromised broker to its own files and ports.',
    remediation: 'Debian/Ubuntu: keep AppArmor enabled (`apparmor=1 security=apparmor` on the kernel command line, `apt install apparmor apparmor-utils`). RHEL-like: `SELINUX=enforcing` in /etc/selinux/config and reboot; fix denials with `audit2allow` rather than disabling.',
    references: ['https://wiki.debian.org/AppArmor/HowToUse', 'https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/using_selinux/'],
  },
  judge({ 'sys.mac': m }) {
    const evidence = { selinux: m.selinux, apparmor: m.apparmor, looked: m.looked };
    if (m.selinux?.mode === 'enforcing') return { status: 'PASS', message: `SELinux is enforcing (${m.selinux.source})`, evidence };
    if (m.apparmor?.enabled) return { status: 'PASS', message: `AppArmor is enabled${m.apparmor.profiles !== undefined ? ` with ${m.apparmor.profiles} profile(s)` : ''} (${m.apparmor.source})`, evidence };
    if (!m.selinux && !m.apparmor && m.looked.every((l) => !l.startsWith('/sys/'))) {
      return { status: 'SKIP', message: `offline root: neither an SELinux config nor an AppArmor installation found (looked at ${m.looked.join(', ')}); MAC may come from the host that runs this image`, evidence };
    }
    const parts = [
      m.selinux ? `SELinux ${m.selinux.mode} (${m.selinux.source})` : 'no SELinux',
      m.apparmor ? `AppArmor disabled (${m.apparmor.source})` : 'no AppArmor',
    ];
    return { status: 'FAIL', severity: m.selinux?.mode === 'permissive' ? 'low' : 'medium', message: `no mandatory access control enforcing: ${parts.join(', ')}`, evidence };
  },
});
