import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-009',
    name: 'auditd',
    title: 'The Linux audit daemon is not installed or not running',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['sys.logging'],
    description: 'Whether auditd is installed and, on the live host, running. The kernel audit log records who changed broker configs, keys and password files, which the broker\'s own log does not.',
    remediation: '`apt install auditd` (or `dnf install audit`), enable it, and watch the broker files: `-w /etc/mosquitto/ -p wa -k mqtt-config`, `-w /etc/emqx/ -p wa -k mqtt-config`.',
    references: ['https://manpages.debian.org/bookworm/auditd/auditctl.8.en.html', 'https://www.cisecurity.org/benchmark/debian_linux'],
  },
  judge({ 'sys.logging': l }) {
    const a = l.auditd;
    if (!a.installed) return { status: 'FAIL', message: `auditd is not installed (${a.source})`, evidence: { ...a } };
    if (a.running === false) return { status: 'FAIL', message: `auditd is installed (${a.source}) but not running`, evidence: { ...a } };
    return { status: 'PASS', message: `auditd is installed (${a.source})${a.running ? ' and running' : ''}`, evidence: { ...a } };
  },
});
