/**
 * `mqtt-warden advisories`: show and refresh the offline advisory database.
 *   advisories list [--product P]       the advisories in use, with their ranges
 *   advisories update --from FILE...    merge CVE JSON 5 records (openssl/release-metadata
 *                                        secjson files, cve.org records, or a bundle) into the
 *                                        user's copy, validated first; nothing is fetched
 */
import { Option, type Command } from 'commander';
import { PRODUCTS, userDbPath } from '../advisories/products.js';
import type { SetExit } from './commands.js';
import { deprecated, outputOptions, type OutputFlags } from './options.js';

function collectList(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function register(program: Command, setExit: SetExit): void {
  const cmd = program.command('advisories').description('Show or refresh the offline advisory database (OpenSSL, Mosquitto, EMQX)');

  const list = cmd
    .command('list')
    .description('List the advisories the host audit matches against')
    .addOption(new Option('--product <product>', 'only this product').choices([...PRODUCTS]))
    .option('--db <file>', 'database file (default: the updated copy, else the shipped snapshot)');
  outputOptions(list, { formats: ['terminal', 'json'] });
  list.addOption(new Option('--json').hideHelp().argParser(() => {
    deprecated('--json', 'use -f json');
    list.setOptionValueWithSource('format', 'json', 'cli');
    return undefined;
  }));
  list.action(async (flags: OutputFlags & { product?: string; db?: string }) => {
    const { advisoriesList } = await import('./impl/advisories.js');
    setExit(advisoriesList(flags));
  });

  cmd
    .command('update')
    .description('Merge CVE JSON 5 records from local files into the advisory database (offline)')
    .requiredOption('--from <file>', 'a CVE JSON 5 record, a JSON array of records, or an mqtt-warden bundle (repeatable)', collectList, [] as string[])
    .option('--db <file>', `database to write (default ${userDbPath()}; env MQTT_WARDEN_ADVISORIES)`)
    .option('--snapshot <date>', 'snapshot date of the records (YYYY-MM-DD; default: the bundle\'s, else today)')
    .action(async (flags: { from: string[]; db?: string; snapshot?: string }) => {
      const { advisoriesUpdate } = await import('./impl/advisories.js');
      setExit(advisoriesUpdate(flags));
    });
}
