import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-004',
    name: 'broker-confined',
    title: 'The broker process is not confined by SELinux/AppArmor',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['sys.mac'],
    description:
      'The security label of each running broker (`/proc/PID/attr/current`: an AppArmor profile in enforce mode or an SELinux domain other than unconfined_t); offline, whether an enabled AppArmor profile for the broker is installed in /etc/apparmor.d. MAC enforcing on the host (CFG-003) does not help a broker that runs unconfined.',
    remediation: 'Install or write a profile for the broker (Debian ships none for Mosquitto: generate one with `aa-genprof /usr/sbin/mosquitto`, then `aa-enforce`), or run it in an SELinux domain; keep it in enforce mode.',
    references: ['https://gitlab.com/apparmor/apparmor/-/wikis/Profiling_with_tools', 'https://wiki.debian.org/AppArmor/HowToUse'],
  },
  judge({ 'sys.mac': m }) {
    if (!m.brokers.length) return { status: 'SKIP', message: 'no running broker process (live) or installed broker (offline) to judge' };
    return m.brokers.map((b): Verdict => {
      const who = `${b.product}${b.pid ? ` (pid ${b.pid})` : ''}`;
      const evidence = { ...b };
      return b.confined
        ? { status: 'PASS', message: `${who} is confined: ${b.label ?? b.source}`, evidence }
        : { status: 'FAIL', message: `${who} is not confined (${b.label ? `label ${b.label}` : b.source})`, evidence };
    });
  },
});
