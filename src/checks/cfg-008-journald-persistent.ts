import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-008',
    name: 'journald-persistent',
    title: 'The systemd journal is not persistent',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['sys.logging'],
    description: '`Storage=` in /etc/systemd/journald.conf and its drop-ins (last wins): `persistent`, or `auto` with /var/log/journal present, keeps logs across reboots; `volatile`/`none` (or `auto` without the directory) loses the broker\'s stderr log and every other service log at the next reboot.',
    remediation: '`mkdir -p /var/log/journal && systemd-tmpfiles --create --prefix /var/log/journal` or set `Storage=persistent` in a journald.conf drop-in, then `systemctl restart systemd-journald`; forward logs to a central collector.',
    references: ['https://www.freedesktop.org/software/systemd/man/latest/journald.conf.html'],
  },
  judge({ 'sys.logging': l }) {
    const j = l.journald;
    if ('unknown' in j) return { status: 'SKIP', message: j.unknown };
    return j.persistent
      ? { status: 'PASS', message: `journal is persistent (Storage=${j.storage}, ${j.source})`, evidence: { ...j } }
      : { status: 'FAIL', message: `journal is not persistent (Storage=${j.storage}, ${j.source})`, evidence: { ...j } };
  },
});
