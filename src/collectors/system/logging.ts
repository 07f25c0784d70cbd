/**
 * Logging: where the brokers log and whether connection messages (needed by
 * ban daemons) are on; journald persistence; auditd.
 */
import type { MosquittoConfigRead } from './brokers.js';
import { loc } from './brokers.js';
import { existsSys, findProgram, listSys, readSys, type SysRoot } from './sysroot.js';
import type { LoggingState } from './types.js';
import { readdir } from 'node:fs/promises';
import { readProcText } from '../../io/read.js';
import { collectRetention } from './log-retention.js';

/** Mosquitto logging from its directives: log_dest (default stderr), connection_messages (default true). */
export function mosquittoLogging(c: MosquittoConfigRead): LoggingState['brokers'][number] {
  const dests = c.directives.filter((d) => d.key === 'log_dest');
  const cm = c.directives.filter((d) => d.key === 'connection_messages').pop();
  const destinations = dests.map((d) => ({ dest: d.args.join(' '), location: loc(d) }));
  // Durable: a file, syslog, or the systemd journal (stderr under systemd); 'none' alone or 'stdout' to a terminal is not.
  const durable = destinations.some((d) => /^(file\s+\S+|syslog)$/.test(d.dest));
  return {
    product: 'mosquitto',
    file: c.file,
    destinations: destinations.length ? destinations : [{ dest: 'stderr (default)' }],
    connectionMessages: cm ? { value: cm.args[0] !== 'false', location: loc(cm) } : { value: true },
    durable,
  };
}

async function auditdRunning(): Promise<boolean> {
  for (const pid of (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d))) {
    if ((await readProcText(`/proc/${pid}/comm`)).trim() === 'auditd') return true;
  }
  return false;
}

export async function collectLogging(r: SysRoot, mosquitto: readonly MosquittoConfigRead[]): Promise<LoggingState> {
  const brokers = mosquitto.filter((c) => c.directives.length).map(mosquittoLogging);
  // journald: Storage= in journald.conf and its drop-ins (last wins); "auto" persists when /var/log/journal exists.
  let storage = 'auto';
  let source = 'default (auto)';
  const files = ['/etc/systemd/journald.conf', ...(await listSys(r, '/etc/systemd/journald.conf.d')).filter((f) => f.endsWith('.conf')).map((f) => `/etc/systemd/journald.conf.d/${f}`)];
  let sawConfig = false;
  const journaldTexts: { file: string; text: string }[] = [];
  for (const f of files) {
    const res = await readSys(r, f);
    if (!res.ok) continue;
    sawConfig = true;
    journaldTexts.push({ file: f, text: res.text });
    const m = [...res.text.matchAll(/^\s*Storage\s*=\s*(\w+)/gm)].pop();
    if (m) {
      storage = m[1]!;
      source = f;
    }
  }
  const hasJournald = sawConfig || (await existsSys(r, '/lib/systemd/systemd-journald')) || (await existsSys(r, '/usr/lib/systemd/systemd-journald'));
  const journalDir = await existsSys(r, '/var/log/journal');
  const journald: LoggingState['journald'] = hasJournald
    ? { persistent: storage === 'persistent' || (storage === 'auto' && journalDir), storage, source: `${source}${storage === 'auto' ? `; /var/log/journal ${journalDir ? 'exists' : 'absent'}` : ''}` }
    : { unknown: 'systemd-journald is not installed (no journald.conf, no systemd-journald binary)' };
  const auditdPath = await findProgram(r, 'auditd');
  const auditd: LoggingState['auditd'] = auditdPath
    ? { installed: true, ...(r.live && { running: await auditdRunning() }), source: auditdPath }
    : { installed: false, source: 'auditd not found in /usr/sbin, /sbin, …' };
  const logFiles = [...new Set(brokers.flatMap((b) => b.destinations.flatMap((d) => /^file\s+(\S+)$/.exec(d.dest)?.[1] ?? [])))];
  const retention = await collectRetention(r, logFiles, journaldTexts);
  return { brokers, journald, auditd, retention };
}
