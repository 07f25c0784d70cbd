import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'SVC-006',
    name: 'broker-runs-as-root',
    title: 'The broker runs as root',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.brokers'],
    description:
      'On the live host, the real UID of every running Mosquitto and EMQX process (`/proc/PID/status`); offline (or with no broker running), the user the config makes it run as: Mosquitto drops privileges to its `user` directive (default `mosquitto`) after binding, so `user root` keeps it root. A broker bug is then a root compromise.',
    remediation: 'Run the broker as its own unprivileged user: remove `user root` from mosquitto.conf (or set `user mosquitto`), run EMQX as `emqx` (the packages do), and use `AmbientCapabilities=CAP_NET_BIND_SERVICE` instead of root for ports below 1024.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html'],
  },
  judge({ 'sys.brokers': b }) {
    if (b.processes && b.processes.length) {
      return b.processes.map((p): Verdict =>
        p.uid === 0
          ? { status: 'FAIL', message: `${p.product} (pid ${p.pid}) runs as root`, evidence: { pid: p.pid, uid: p.uid } }
          : { status: 'PASS', message: `${p.product} (pid ${p.pid}) runs as ${p.user ?? `uid ${p.uid}`}`, evidence: { pid: p.pid, uid: p.uid, user: p.user } },
      );
    }
    if (!b.runAs.length) return { status: 'SKIP', message: `no broker config found${b.processesSkipped ? ` (${b.processesSkipped})` : ' and no broker running'}` };
    const why = b.processes ? 'no broker process running: judged from the config' : `${b.processesSkipped}: judged from the config`;
    return b.runAs.map((r): Verdict => {
      const location = r.location ? { location: r.location } : {};
      return r.user === 'root'
        ? { status: 'FAIL', message: `${r.product} is configured to run as root (${r.source}; ${why})`, evidence: { ...r }, ...location }
        : { status: 'PASS', message: `${r.product} runs as ${r.user} (${r.source}; ${why})`, evidence: { ...r }, ...location };
    });
  },
});
