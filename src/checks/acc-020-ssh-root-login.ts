import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-020',
    name: 'ssh-root-login',
    title: 'SSH allows root to log in with a password',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.ssh'],
    description: '`PermitRootLogin` of the OpenSSH server (/etc/ssh/sshd_config and its Include drop-ins; the first value wins, as in sshd; default `prohibit-password` since OpenSSH 7.0). `yes` lets anyone who guesses root\'s password own the broker host. Settings inside `Match` blocks are listed in the evidence, not evaluated.',
    remediation: 'Set `PermitRootLogin no` (or `prohibit-password` where root needs key-based access), log in as a named user and use sudo; reload sshd.',
    references: ['https://man.openbsd.org/sshd_config#PermitRootLogin', 'https://www.cisecurity.org/benchmark/debian_linux'],
  },
  judge({ 'sys.ssh': s }) {
    const p = s.permitRootLogin;
    const evidence = { value: p.value, default: p.isDefault, files: s.files, matchOverrides: s.matchOverrides };
    const where = p.isDefault ? 'default' : `${p.location!.file}:${p.location!.line}`;
    const location = p.location ? { location: p.location } : {};
    if (p.value === 'yes') return { status: 'FAIL', message: `PermitRootLogin yes (${where}): root may log in with a password`, evidence, ...location };
    return { status: 'PASS', message: `PermitRootLogin ${p.value} (${where})`, evidence, ...location };
  },
});
