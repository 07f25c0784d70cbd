import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'UPD-004',
    name: 'reboot-required',
    title: 'A reboot is required to run updated kernel or libraries',
    strategy: 'updates',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.reboot'],
    description:
      'Looks for `/run/reboot-required` (and its `.pkgs` list), which Debian/Ubuntu packages create after a kernel or libc update, and on the live host compares the running kernel with the kernels installed in `/lib/modules`. Until the reboot, the fixes of those updates are not in effect.',
    remediation: 'Reboot in a maintenance window (or live-patch the kernel), then confirm that `uname -r` shows the newest installed kernel and that `/run/reboot-required` is gone.',
    references: ['https://manpages.debian.org/bookworm/needrestart/needrestart.1.en.html'],
  },
  judge({ 'sys.reboot': r }) {
    if (r.unknown && !r.required) return { status: 'SKIP', message: `not determined: ${r.unknown}`, evidence: { ...r } };
    if (r.required) return { status: 'FAIL', message: `reboot required (${r.source})${r.packages.length ? `: ${r.packages.join(', ')}` : ''}`, evidence: { ...r } };
    return { status: 'PASS', message: `no reboot pending (${r.source})`, evidence: { ...r } };
  },
});
