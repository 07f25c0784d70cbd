/**
 * How long the broker's log is kept: the logrotate rule that covers each broker log file
 * (/etc/logrotate.conf with its includes, else /etc/logrotate.d/*) and journald's time limit.
 * Hand-written: logrotate's configuration has no maintained parser for Node; only the
 * directives that decide retention are read (rotate, hourly/daily/weekly/monthly/yearly,
 * size, maxage, include), scripts are skipped. Bounded: at most MAX_FILES config files,
 * includes MAX_DEPTH deep, each file through the bounded reader (readSys).
 */
import { listSys, readSys, type SysRoot } from './sysroot.js';
import type { LogrotateRule, LogRetention } from './types.js';

const MAX_FILES = 200;
const MAX_DEPTH = 3;

const PERIODS = new Set(['hourly', 'daily', 'weekly', 'monthly', 'yearly']);
type Period = Extract<LogrotateRule['trigger'], { kind: 'time' }>['period'];

interface Settings {
  rotate?: number;
  trigger?: LogrotateRule['trigger'];
  maxage?: number;
}

interface Block {
  patterns: string[];
  file: string;
  line: number;
  settings: Settings;
}

/** A logrotate glob (`*`, `?`, `[...]`) as a regular expression over a whole path. */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Applies one directive to the settings; unknown directives are ignored. */
function apply(s: Settings, words: string[]): void {
  const [d, arg] = words;
  if (d === 'rotate' && arg !== undefined && /^-?\d+$/.test(arg)) s.rotate = Math.max(0, Number(arg));
  else if (d === 'maxage' && arg !== undefined && /^\d+$/.test(arg)) s.maxage = Number(arg);
  else if (d !== undefined && PERIODS.has(d)) s.trigger = { kind: 'time', period: d as Period };
  // size is exclusive with the time criteria: the last one given wins (logrotate(8)).
  else if (d === 'size' && arg !== undefined) s.trigger = { kind: 'size', size: arg };
}

/** Splits a line into words, honouring double and single quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const SCRIPTS = new Set(['postrotate', 'prerotate', 'firstaction', 'lastaction', 'preremove']);

/**
 * Parse one logrotate config file: global directives change `globals` in place (they hold for the
 * blocks after them, in this file and in files it includes); blocks get a copy. Returns the
 * blocks and the include arguments in order, each include at the block count where it stood.
 */
export function parseLogrotate(text: string, file: string, globals: Settings): { blocks: Block[]; includes: { path: string; at: number }[]; problems: string[] } {
  const blocks: Block[] = [];
  const includes: { path: string; at: number }[] = [];
  const problems: string[] = [];
  let current: Block | undefined;
  let pending: string[] = [];
  let script = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (script) {
      if (raw === 'endscript') script = false;
      continue;
    }
    if (!raw || raw.startsWith('#')) continue;
    const w = words(raw);
    if (SCRIPTS.has(w[0]!)) {
      script = true;
      continue;
    }
    if (current) {
      if (raw === '}') {
        blocks.push(current);
        current = undefined;
      } else apply(current.settings, w);
      continue;
    }
    if (raw.endsWith('{')) {
      const pats = [...pending, ...words(raw.slice(0, -1))];
      pending = [];
      if (!pats.length) problems.push(`${file}:${i + 1}: a block without a log file pattern`);
      current = { patterns: pats, file, line: i + 1, settings: { ...globals } };
      continue;
    }
    if (w[0] === 'include' && w[1]) {
      includes.push({ path: w[1], at: blocks.length });
      continue;
    }
    // A path on a line of its own continues onto the `{` line (several patterns over several lines).
    if (w[0]!.startsWith('/') || w[0]!.startsWith('"')) {
      pending.push(...w);
      continue;
    }
    apply(globals, w);
  }
  if (current) problems.push(`${file}:${current.line}: block not closed with }`);
  if (script) problems.push(`${file}: script not closed with endscript`);
  return { blocks, includes, problems };
}

/** Read logrotate's configuration of the audited system into its blocks, in the order logrotate reads them. */
async function readLogrotate(r: SysRoot): Promise<{ blocks: Block[]; looked: string[]; problems: string[] }> {
  const blocks: Block[] = [];
  const looked: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const readFile = async (path: string, globals: Settings, depth: number): Promise<void> => {
    if (seen.has(path) || seen.size >= MAX_FILES) return;
    seen.add(path);
    const res = await readSys(r, path, 1024 * 1024);
    if (!res.ok) {
      if (!res.missing) problems.push(res.error);
      return;
    }
    looked.push(path);
    const p = parseLogrotate(res.text, path, globals);
    problems.push(...p.problems);
    let done = 0;
    for (const inc of p.includes) {
      blocks.push(...p.blocks.slice(done, inc.at));
      done = inc.at;
      if (depth < MAX_DEPTH) await readPath(inc.path, { ...globals }, depth + 1);
    }
    blocks.push(...p.blocks.slice(done));
  };
  // include names a file or a directory (whose files are read in order, skipping backups and package leftovers).
  const readPath = async (path: string, globals: Settings, depth: number): Promise<void> => {
    const entries = await listSys(r, path);
    if (entries.length) {
      for (const f of entries.filter((x) => !/(~|\.dpkg-[a-z]+|\.rpm[a-z]+|\.bak|\.disabled)$/.test(x) && !x.startsWith('.'))) await readFile(`${path}/${f}`, { ...globals }, depth);
    } else await readFile(path, globals, depth);
  };
  await readFile('/etc/logrotate.conf', {}, 0);
  // logrotate runs /etc/logrotate.conf, which includes /etc/logrotate.d; without it (a minimal image, a container
  // root) the package rules of logrotate.d are what a logrotate run would be given, so they are read on their own.
  if (!looked.includes('/etc/logrotate.conf')) await readPath('/etc/logrotate.d', {}, 1);
  return { blocks, looked, problems };
}

/** The rule logrotate applies to `file`: the first block whose pattern matches it (logrotate refuses duplicates). */
function ruleFor(blocks: readonly Block[], file: string): LogrotateRule | undefined {
  const b = blocks.find((x) => x.patterns.some((p) => globRegex(p).test(file)));
  if (!b) return undefined;
  return {
    location: { file: b.file, line: b.line },
    pattern: b.patterns.find((p) => globRegex(p).test(file))!,
    // logrotate's default is rotate 0: old versions are removed, not kept.
    rotate: b.settings.rotate ?? 0,
    trigger: b.settings.trigger ?? { kind: 'none' },
    ...(b.settings.maxage !== undefined && { maxage: b.settings.maxage }),
  };
}

/** journald time values: "90d", "1month", "2 weeks", "3600" (seconds), "1h 30min"; undefined when unreadable. */
export function journaldSeconds(text: string): number | undefined {
  const units: Record<string, number> = {
    us: 1e-6, usec: 1e-6, ms: 1e-3, msec: 1e-3, s: 1, sec: 1, second: 1, seconds: 1, m: 60, min: 60, minute: 60, minutes: 60,
    h: 3600, hr: 3600, hour: 3600, hours: 3600, d: 86400, day: 86400, days: 86400, w: 604800, week: 604800, weeks: 604800,
    M: 2629800, month: 2629800, months: 2629800, y: 31557600, year: 31557600, years: 31557600,
  };
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  let total = 0;
  let rest = t;
  while (rest.length) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*/.exec(rest);
    if (!m || units[m[2]!] === undefined) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return t ? total : undefined;
}

/** The retention facts: the logrotate rule of each broker log file, and journald's limits (from the journald.conf files given, last wins). */
export async function collectRetention(r: SysRoot, logFiles: readonly string[], journaldTexts: readonly { file: string; text: string }[]): Promise<LogRetention> {
  const journal: LogRetention['journal'] = {};
  for (const { file, text } of journaldTexts) {
    const ret = [...text.matchAll(/^\s*MaxRetentionSec\s*=\s*(.*?)\s*$/gm)].pop();
    if (ret) {
      const secs = journaldSeconds(ret[1]!);
      journal.maxRetention = secs === undefined ? { text: ret[1]!, source: file } : { seconds: secs, text: ret[1]!, source: file };
    }
    const use = [...text.matchAll(/^\s*SystemMaxUse\s*=\s*(.*?)\s*$/gm)].pop();
    if (use) journal.systemMaxUse = { text: use[1]!, source: file };
  }
  if (!logFiles.length) return { journal, files: [], looked: [], problems: [] };
  const lr = await readLogrotate(r);
  return { journal, files: logFiles.map((file) => ({ file, ...(ruleFor(lr.blocks, file) && { rule: ruleFor(lr.blocks, file)! }) })), looked: lr.looked, problems: lr.problems };
}
