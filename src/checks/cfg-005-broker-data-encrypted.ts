import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-005',
    name: 'broker-data-encrypted',
    title: 'Broker data and log directories are not on an encrypted disk',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['sys.disk'],
    description:
      'Finds the mount of the broker\'s data directory (Mosquitto `persistence_location`, default /var/lib/mosquitto; EMQX /var/lib/emqx) and log directory in the mount table and follows its device through device-mapper layers: dm-crypt/LUKS devices have a `/sys/block/dm-N/dm/uuid` starting with `CRYPT-`. Retained messages, persisted sessions, password hashes and keys on an unencrypted disk leak with a stolen disk, snapshot or decommissioned drive.',
    remediation: 'Put /var/lib/<broker> (and logs) on a LUKS volume (`cryptsetup luksFormat`, crypttab/fstab), or use the platform\'s encrypted volumes for VMs and cloud disks (then note it: this check only sees dm-crypt).',
    references: ['https://cryptsetup-team.pages.debian.net/cryptsetup/README.Debian.html', 'https://wiki.archlinux.org/title/Dm-crypt'],
  },
  judge({ 'sys.disk': d }) {
    if (!d.dirs.length) return { status: 'SKIP', message: 'no broker data or log directory known (no broker config or process found)' };
    return d.dirs.map((x): Verdict => {
      const evidence = { ...x, source: d.source };
      const what = `${x.product} ${x.purpose} directory ${x.path}`;
      if (!x.mount) return { status: 'ERROR', message: `${what}: no mount found in ${d.source}`, evidence };
      if (x.unknown && !x.encrypted) return { status: 'SKIP', message: `${what}: not determined: ${x.unknown}`, evidence };
      return x.encrypted
        ? { status: 'PASS', message: `${what} is on ${x.device} (dm-crypt: ${x.chain.join(' → ')})`, evidence }
        : { status: 'FAIL', message: `${what} is on ${x.device} mounted at ${x.mount}, which is not dm-crypt${x.chain.length ? ` (${x.chain.join(' → ')})` : ''}`, evidence };
    });
  },
});
