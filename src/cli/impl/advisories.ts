/**
 * `mqtt-warden advisories`: the implementation of list and update, loaded by ../advisories.ts when they run.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { advisoriesFrom, fixedVersions, loadAdvisoryDb, loadBundle, mergeBundle, parseAdvisoryInput, SHIPPED_DB, userDbPath } from '../../advisories/db.js';
import { readText, UsageError } from '../common.js';
import { writeOutput } from '../emit.js';
import type { OutputFlags } from '../options.js';

/** `advisories list` after its options are parsed; returns the exit code. */
export function advisoriesList(flags: OutputFlags & { product?: string; db?: string }): number {
  let db;
  try {
    db = loadAdvisoryDb(flags.db);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const list = db.advisories.filter((a) => !flags.product || a.product === flags.product);
  const out: string[] = [];
  if (flags.format === 'json') {
    out.push(JSON.stringify({ snapshot: db.snapshot, file: db.file, advisories: list }, null, 2));
  } else {
    out.push(`advisory database ${db.file} (snapshot ${db.snapshot}), ${list.length} advisories`);
    for (const a of list) {
      const ranges = a.ranges.map((r) => `[${r.introduced ?? '*'}, ${r.lessThan ?? (r.lessThanOrEqual ? `${r.lessThanOrEqual}]` : '*')})`).join(' ');
      out.push(`${a.product.padEnd(10)} ${a.id.padEnd(16)} ${a.severity.padEnd(8)} fixed ${fixedVersions(a).join('/') || '-'}  ${ranges}  ${a.title}`);
    }
  }
  writeOutput(`${out.join('\n')}\n`, flags, `${flags.format} advisory list`);
  return 0;
}

/** `advisories update` after its options are parsed; returns the exit code. */
export function advisoriesUpdate(flags: { from: string[]; db?: string; snapshot?: string }): number {
  if (flags.snapshot && !/^\d{4}-\d{2}-\d{2}$/.test(flags.snapshot)) throw new UsageError('--snapshot must be YYYY-MM-DD');
  const out = flags.db ?? userDbPath();
  let base;
  try {
    base = loadBundle(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`${(e as Error).message} (fix or remove it)`);
    base = loadBundle(SHIPPED_DB);
  }
  let merged = base;
  let added = 0;
  let skipped = 0;
  for (const f of flags.from) {
    let parsed;
    try {
      parsed = parseAdvisoryInput(readText(f, 'advisory file', 'advisories'), f);
    } catch (e) {
      throw e instanceof UsageError ? e : new UsageError((e as Error).message);
    }
    const known = parsed.records.filter((r) => advisoriesFrom([r]).length);
    skipped += parsed.records.length - known.length;
    added += known.length;
    merged = mergeBundle(merged, known, flags.snapshot ?? parsed.snapshot ?? new Date().toISOString().slice(0, 10), parsed.sources);
  }
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(merged, null, 1)}\n`);
  renameSync(tmp, out);
  process.stderr.write(
    `mqtt-warden: ${added} record(s) merged into ${out} (snapshot ${merged.snapshot}, ${merged.records.length} records)${skipped ? `; ${skipped} record(s) of other products ignored` : ''}\n`,
  );
  return 0;
}
