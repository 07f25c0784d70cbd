import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { mode } from './system-helpers.js';

export default defineCheck({
  meta: {
    id: 'TLS-051',
    name: 'private-key-permissions',
    title: 'Broker private keys are readable by others or owned by the wrong user',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.keys'],
    description:
      'For every private key the broker configs reference (Mosquitto `keyfile`/`bridge_keyfile`, EMQX `ssl_options.keyfile`, `--config FILE`) or that sits in the packages\' certificate directories (/etc/mosquitto/certs, /etc/emqx/certs, …): the file must be owned by root or the broker\'s user, not readable or writable by others, and readable by its group only when the group is root\'s or the broker\'s. A key readable by any local user lets anyone on the host impersonate the broker.',
    remediation:
      'chown root:<broker group> KEY && chmod 0640 KEY (Mosquitto 2 reads keys after dropping privileges to its `user`, so its group needs read access), or chown <broker user> and chmod 0600. Never leave a key world-readable; rotate keys that were.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'sys.keys': k }) {
    const keys = k.files.filter((f) => f.role === 'key' && f.exists);
    if (!keys.length) return { status: 'SKIP', message: `no private key referenced by a broker config or found in ${k.searched.join(', ') || 'the certificate directories'}` };
    const trusted = new Set(['root', ...k.brokerUsers]);
    const out: Verdict[] = [];
    for (const f of keys) {
      const m = f.mode ?? 0;
      const who = `${f.owner ?? f.uid}:${f.group ?? f.gid} ${mode(f.mode)}`;
      const evidence = { path: f.path, mode: mode(f.mode), owner: f.owner ?? f.uid, group: f.group ?? f.gid, brokerUsers: k.brokerUsers, referencedBy: f.refs };
      const problems: string[] = [];
      let severity: 'high' | 'medium' = 'medium';
      if (m & 0o007) {
        problems.push(m & 0o004 ? 'readable by every local user' : 'accessible by others');
        severity = 'high';
      }
      if (f.uid !== 0 && !(f.owner && trusted.has(f.owner))) problems.push(`owned by ${f.owner ?? `uid ${f.uid}`}, not root or the broker's user (${k.brokerUsers.join(', ') || 'unknown'})`);
      if (m & 0o020) problems.push('writable by its group');
      if (m & 0o040 && f.gid !== 0 && !(f.group && trusted.has(f.group))) problems.push(`readable by group ${f.group ?? f.gid}`);
      out.push(
        problems.length
          ? { status: 'FAIL', severity, message: `private key ${f.path} (${who}): ${problems.join('; ')}`, evidence, location: { file: f.path } }
          : { status: 'PASS', message: `private key ${f.path} (${who}) is accessible to root and the broker only`, evidence, location: { file: f.path } },
      );
    }
    return out;
  },
});
