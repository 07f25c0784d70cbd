import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-021',
    name: 'ssh-password-authentication',
    title: 'SSH accepts password authentication',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.ssh'],
    description: '`PasswordAuthentication` of the OpenSSH server (default `yes`). Passwords can be guessed from the network; keys (or certificates) cannot. Values inside `Match` blocks are listed in the evidence.',
    remediation: 'Deploy SSH keys for every administrator, then set `PasswordAuthentication no` (and `KbdInteractiveAuthentication no`) in a drop-in under /etc/ssh/sshd_config.d/ and reload sshd.',
    references: ['https://man.openbsd.org/sshd_config#PasswordAuthentication', 'https://www.cisecurity.org/benchmark/debian_linux'],
  },
  judge({ 'sys.ssh': s }) {
    const p = s.passwordAuthentication;
    const evidence = { value: p.value, default: p.isDefault, files: s.files, matchOverrides: s.matchOverrides };
    const where = p.isDefault ? 'default, no directive' : `${p.location!.file}:${p.location!.line}`;
    const location = p.location ? { location: p.location } : {};
    if (p.value !== 'no') return { status: 'FAIL', message: `PasswordAuthentication ${p.value} (${where})`, evidence, ...location };
    return { status: 'PASS', message: `PasswordAuthentication no (${where})`, evidence, ...location };
  },
});
