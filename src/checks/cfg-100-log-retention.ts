import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import type { LogrotateRule, LoggingState } from '../collectors/system/types.js';

/** Days a logrotate period stands for. */
const PERIOD_DAYS = { hourly: 1 / 24, daily: 1, weekly: 7, monthly: 30, yearly: 365 } as const;

type Outcome = { kind: 'pass' | 'fail' | 'unknown'; text: string; location?: LogrotateRule['location'] };

const days = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;

/** A log file's retention under its logrotate rule. */
function fileRetention(l: LoggingState, file: string, min: number): Outcome {
  const f = l.retention.files.find((x) => x.file === file);
  const rule = f?.rule;
  if (!rule) {
    if (l.retention.problems.length) return { kind: 'unknown', text: `${file}: no logrotate rule found, but part of logrotate's configuration could not be read (${l.retention.problems.slice(0, 2).join('; ')})` };
    return { kind: 'pass', text: `${file}: no logrotate rule covers it (${l.retention.looked.length ? `read ${l.retention.looked.length} logrotate file${l.retention.looked.length === 1 ? '' : 's'}` : 'no logrotate configuration'}), so nothing removes old entries` };
  }
  const where = `${rule.location.file}:${rule.location.line}`;
  const cap = rule.maxage;
  if (rule.trigger.kind === 'time') {
    // The rotated files cover `rotate` periods (the live file the current one); maxage removes older ones.
    const kept = Math.min(rule.rotate * PERIOD_DAYS[rule.trigger.period], cap ?? Infinity);
    const how = `${rule.trigger.period}, rotate ${rule.rotate}${cap !== undefined ? `, maxage ${cap}` : ''}`;
    return kept < min
      ? { kind: 'fail', text: `${file}: logrotate keeps about ${days(kept)} (${how}, ${where})`, location: rule.location }
      : { kind: 'pass', text: `${file}: logrotate keeps about ${days(kept)} (${how}, ${where})` };
  }
  if (cap !== undefined && cap < min) return { kind: 'fail', text: `${file}: logrotate removes rotated files older than ${days(cap)} (maxage ${cap}, ${where})`, location: rule.location };
  if (rule.rotate === 0) return { kind: 'fail', text: `${file}: logrotate keeps no rotated file (rotate 0${rule.trigger.kind === 'size' ? `, size ${rule.trigger.size}` : ''}, ${where}): each rotation deletes the old entries`, location: rule.location };
  const by = rule.trigger.kind === 'size' ? `by size (${rule.trigger.size})` : 'without a period or size (every logrotate run)';
  return { kind: 'unknown', text: `${file}: logrotate rotates it ${by} and keeps ${rule.rotate} file${rule.rotate === 1 ? '' : 's'} (${where}): how many days that holds depends on how much the broker logs` };
}

/** The systemd journal's retention (a broker logging to stderr under systemd). */
function journalRetention(l: LoggingState, min: number, dest: string): Outcome {
  const j = l.journald;
  if ('unknown' in j) return { kind: 'unknown', text: `${dest}: ${j.unknown}` };
  if (!j.persistent) return { kind: 'fail', text: `${dest} goes to the systemd journal, which is not persistent (Storage=${j.storage}, ${j.source}): lost at the next reboot` };
  const ret = l.retention.journal.maxRetention;
  if (ret?.seconds !== undefined && ret.seconds > 0 && ret.seconds < min * 86400) {
    return { kind: 'fail', text: `${dest} goes to the systemd journal, which removes entries after ${days(ret.seconds / 86400)} (MaxRetentionSec=${ret.text}, ${ret.source})` };
  }
  const size = l.retention.journal.systemMaxUse;
  return {
    kind: 'unknown',
    text: `${dest} goes to the persistent systemd journal, which ${ret?.seconds ? `keeps entries up to ${days(ret.seconds / 86400)} (MaxRetentionSec=${ret.text})` : 'has no time limit'} but drops the oldest entries at its size cap (SystemMaxUse=${size ? `${size.text}, ${size.source}` : 'unset: 10% of the file system, at most 4G'}): how many days that holds depends on the volume`,
  };
}

export default defineCheck({
  meta: {
    id: 'CFG-100',
    name: 'log-retention',
    title: 'The broker log is kept for less time than the security policy requires',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.logging', 'policy'],
    description:
      'Holds how long the broker\'s log is kept against the security policy\'s `logging.minRetentionDays` (default 90): incidents are found late, and the log is the record of who connected and who failed to log in. A Mosquitto `log_dest file PATH` is judged by the logrotate rule that covers PATH (/etc/logrotate.conf with its includes, /etc/logrotate.d): `rotate N` with `daily`/`weekly`/`monthly`/`yearly` keeps about N periods, `maxage` caps it, `rotate 0` keeps nothing; a file rotated by `size` keeps a number of files whose span depends on the volume (SKIP). The default `log_dest stderr` (and `stdout`) reaches the systemd journal under systemd: a journal that is not persistent, or `MaxRetentionSec=` shorter than the policy, is a finding; otherwise its size cap decides (SKIP). `log_dest syslog` is the syslog daemon\'s to keep (not judged). Debian\'s /etc/logrotate.d/mosquitto (`rotate 7`, `daily`, then `size 100k`, which wins) rotates by size.',
    remediation:
      'Keep the log as long as the policy says: in the logrotate rule of the broker log (e.g. /etc/logrotate.d/mosquitto) use a period and enough rotations, e.g. `weekly` with `rotate 13` (about 91 days) and `compress`, and drop a `size` line after the period (it replaces the period) or use `maxsize 100M` beside it; remove a short `maxage`. For the journal: `Storage=persistent` and `MaxRetentionSec=` of at least the policy (or unset) with a `SystemMaxUse=` large enough, in a drop-in under /etc/systemd/journald.conf.d/. Forward the log to a central log store that keeps it.',
    references: ['https://manpages.debian.org/bookworm/logrotate/logrotate.8.en.html', 'https://www.freedesktop.org/software/systemd/man/latest/journald.conf.html'],
  },
  judge({ 'sys.logging': l, policy }) {
    const min = policy.logging.minRetentionDays;
    if (!l.brokers.length) return { status: 'SKIP', message: 'no broker config with logging settings found' };
    return l.brokers.map((b): Verdict => {
      const outcomes = b.destinations.flatMap((d): Outcome[] => {
        const file = /^file\s+(\S+)$/.exec(d.dest)?.[1];
        if (file) return [fileRetention(l, file, min)];
        // Under systemd both stderr and stdout go to the journal.
        if (/^(stderr|stdout)/.test(d.dest)) return [journalRetention(l, min, d.dest.split(' ')[0]!)];
        if (d.dest === 'syslog') return [{ kind: 'unknown', text: 'syslog: kept by the syslog daemon and its rotation (not judged)' }];
        return [];
      });
      const evidence = { broker: b.file, minRetentionDays: min, destinations: b.destinations.map((d) => d.dest), retention: outcomes.map((o) => `${o.kind}: ${o.text}`) };
      const key = b.file;
      const passed = outcomes.find((o) => o.kind === 'pass');
      if (passed) return { status: 'PASS', message: `${b.product} (${b.file}): ${passed.text}: at least the policy's ${days(min)}`, evidence, key };
      const failed = outcomes.filter((o) => o.kind === 'fail');
      const unknown = outcomes.filter((o) => o.kind === 'unknown');
      if (!outcomes.length) return { status: 'SKIP', message: `${b.product} (${b.file}): log_dest ${b.destinations.map((d) => d.dest).join(', ')}: no kept log to judge (see CFG-007, CFG-031)`, evidence, key };
      if (failed.length && !unknown.length) {
        const at = failed.find((o) => o.location)?.location;
        return { status: 'FAIL', message: `${b.product} (${b.file}): ${failed.map((o) => o.text).join('; ')}: less than the policy's ${days(min)} (logging.minRetentionDays)`, evidence, key, ...(at && { location: at }) };
      }
      return { status: 'SKIP', message: `${b.product} (${b.file}): ${[...failed, ...unknown].map((o) => o.text).join('; ')}; the policy asks for ${days(min)}`, evidence, key };
    });
  },
});
