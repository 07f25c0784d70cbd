/**
 * `mqtt-warden advisories`: show and refresh the offline advisory database.
 *   advisories list [--product P]       the advisories in use, with their ranges
 *   advisories update --from FILE...    merge CVE JSON 5 records (openssl/release-metadata
 *                                        secjson files, cve.org records, or a bundle) into the
 *                                        user's copy, validated first; nothing is fetched
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { advisoriesFrom, fixedVersions, loadAdvisoryDb, loadBundle, mergeBundle, parseAdvisoryInput, PRODUCTS, SHIPPED_DB, userDbPath } from '../advisories/db.js';
import { readText, UsageError } from './common.js';
import type { SetExit } from './commands.js';

function collectList(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function register(program: Command, setExit: SetExit): void {
  const cmd = program.command('advisories').description('Show or refresh the offline advisory database (OpenSSL, Mosquitto, EMQX)');

  cmd
    .command('list')
    .description('List the advisories the host audit matches against')
    .addOption(new Option('--product <product>', 'only this product').choices([...PRODUCTS]))
    .option('--db <file>', 'database file (default: the updated copy, else the shipped snapshot)')
    .option('--json', 'JSON output')
    .action((flags: { product?: string; db?: string; json?: boolean }) => {
      let db;
      try {
        db = loadAdvisoryDb(flags.db);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const list = db.advisories.filter((a) => !flags.product || a.product === flags.product);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ snapshot: db.snapshot, file: db.file, advisories: list }, null, 2)}\n`);
      } else {
        process.stdout.write(`advisory database ${db.file} (snapshot ${db.snapshot}), ${list.length} advisories\n`);
        for (const a of list) {
          const ranges = a.ranges.map((r) => `[${r.introduced ?? '*'}, ${r.lessThan ?? (r.lessThanOrEqual ? `${r.lessThanOrEqual}]` : '*')})`).join(' ');
          process.stdout.write(`${a.product.padEnd(10)} ${a.id.padEnd(16)} ${a.severity.padEnd(8)} fixed ${fixedVersions(a).join('/') || '-'}  ${ranges}  ${a.title}\n`);
        }
      }
      setExit(0);
    });

  cmd
    .command('update')
    .description('Merge CVE JSON 5 records from local files into the advisory database (offline)')
    .requiredOption('--from <file>', 'a CVE JSON 5 record, a JSON array of records, or an mqtt-warden bundle (repeatable)', collectList, [] as string[])
    .option('--db <file>', `database to write (default ${userDbPath()}; env MQTT_WARDEN_ADVISORIES)`)
    .option('--snapshot <date>', 'snapshot date of the records (YYYY-MM-DD; default: the bundle\'s, else today)')
    .action((flags: { from: string[]; db?: string; snapshot?: string }) => {
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
          parsed = parseAdvisoryInput(readText(f, 'advisory file'), f);
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
      setExit(0);
    });
}
