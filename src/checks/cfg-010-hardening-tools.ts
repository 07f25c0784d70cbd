import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-010',
    name: 'hardening-tools',
    title: 'No host hardening scanner (Lynis, OpenSCAP) is installed',
    strategy: 'awareness',
    severity: 'info',
    scope: 'system',
    intrusive: false,
    needs: ['sys.hardening'],
    description: 'Whether Lynis or OpenSCAP (`oscap`) is installed. mqtt-warden covers the MQTT-specific part of host hardening; a general scanner covers the rest of the operating system (kernel parameters, PAM, file integrity…), and its report can be imported (CFG-011, CFG-012).',
    remediation: '`apt install lynis` and run `lynis audit system` regularly (mqtt-warden imports /var/log/lynis-report.dat), or use OpenSCAP with a CIS/STIG profile (`oscap xccdf eval`).',
    references: ['https://cisofy.com/lynis/', 'https://www.open-scap.org/'],
  },
  judge({ 'sys.hardening': h }) {
    const evidence = { lynis: h.lynis, openscap: h.openscap };
    const found = [h.lynis.installed && `Lynis (${h.lynis.where})`, h.openscap.installed && `OpenSCAP (${h.openscap.where})`].filter(Boolean);
    if (found.length) return { status: 'PASS', message: `installed: ${found.join(', ')}`, evidence };
    return { status: 'FAIL', message: `neither Lynis nor OpenSCAP is installed (looked for: ${h.looked.slice(0, 2).join('; ')})`, evidence };
  },
});
