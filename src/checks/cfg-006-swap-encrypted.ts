import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-006',
    name: 'swap-encrypted',
    title: 'Swap is not encrypted',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['sys.disk'],
    description: 'Every active swap area (`/proc/swaps`) must be on dm-crypt (or zram, which never reaches a disk): swapped-out broker memory holds passwords, keys and message payloads in clear.',
    remediation: 'Encrypt swap with a random key at every boot (`/etc/crypttab`: `swap /dev/sdX none swap,cipher=aes-xts-plain64,size=256`) or use zram; or disable swap.',
    references: ['https://wiki.archlinux.org/title/Dm-crypt/Swap_encryption', 'https://manpages.debian.org/bookworm/cryptsetup/crypttab.5.en.html'],
  },
  judge({ 'sys.disk': d }) {
    if (d.swapUnknown) return { status: 'SKIP', message: `swap not judged: ${d.swapUnknown}`, evidence: { source: '/proc/swaps' } };
    if (!d.swap.length) return { status: 'PASS', message: 'no swap in use', evidence: { source: '/proc/swaps' } };
    return d.swap.map((s): Verdict =>
      s.unknown && !s.encrypted
        ? { status: 'SKIP', message: `swap ${s.device}: not determined: ${s.unknown}`, evidence: { ...s } }
        : s.encrypted
        ? { status: 'PASS', message: `swap ${s.device} is encrypted or RAM-only (${s.chain.join(' → ')})`, evidence: { ...s } }
        : { status: 'FAIL', message: `swap ${s.device} is not encrypted`, evidence: { ...s } },
    );
  },
});
