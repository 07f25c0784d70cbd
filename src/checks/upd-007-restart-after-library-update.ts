import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'UPD-007',
    name: 'restart-after-library-update',
    title: 'A running broker still uses a replaced (deleted) OpenSSL library',
    strategy: 'updates',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.brokers'],
    description:
      'Reads `/proc/<pid>/maps` of the running Mosquitto and EMQX processes. A libssl/libcrypto mapping marked `(deleted)` means OpenSSL was upgraded on disk but the broker still runs the old code: the update is not in effect until the broker restarts. Live host only.',
    remediation: 'Restart the broker (`systemctl restart mosquitto` / `emqx`) after OpenSSL updates; `needrestart` does this automatically on Debian/Ubuntu.',
    references: ['https://manpages.debian.org/bookworm/needrestart/needrestart.1.en.html'],
  },
  judge({ 'sys.brokers': b }) {
    if (!b.processes) return { status: 'SKIP', message: b.processesSkipped ?? 'running processes not inspected' };
    if (!b.processes.length) return { status: 'SKIP', message: 'no running Mosquitto or EMQX process' };
    const stale = b.processes.flatMap((p) => p.libs.filter((l) => l.deleted).map((l) => ({ pid: p.pid, product: p.product, lib: l.path })));
    const unread = b.processes.filter((p) => p.mapsUnreadable);
    const verdicts: Verdict[] = stale.map((s) => ({ status: 'FAIL' as const, message: `${s.product} (pid ${s.pid}) maps ${s.lib} (deleted): restart it to load the updated library`, evidence: s }));
    // A process whose mappings could not be read was not inspected: it is never counted as current.
    for (const p of unread) verdicts.push({ status: 'SKIP', message: `${p.product} (pid ${p.pid}) not inspected: ${p.mapsUnreadable}`, evidence: { pid: p.pid, product: p.product } });
    if (verdicts.length) return verdicts;
    const libs = b.processes.flatMap((p) => p.libs.map((l) => `${p.product}/${p.pid}: ${l.path}`));
    return { status: 'PASS', message: `running brokers map current OpenSSL libraries (${libs.length ? libs.join(', ') : 'none mapped'})`, evidence: { processes: b.processes.map((p) => ({ pid: p.pid, product: p.product, libs: p.libs })) } };
  },
});
