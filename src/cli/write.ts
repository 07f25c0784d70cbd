/**
 * Writing a command's output (to -o or standard output). Kept apart from
 * ./emit.ts, which also loads the report renderers, so that light commands
 * (`guard test`) start without them.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { fsErrorText, UsageError } from './common.js';
import type { OutputFlags } from './options.js';

/** Write a command's output: the file of -o (a line on stderr says so, unless -q), else standard output. */
export function writeOutput(text: string, flags: Pick<OutputFlags, 'output' | 'quiet'>, what: string, summary = ''): void {
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  if (!flags.output) {
    process.stdout.write(body);
    return;
  }
  try {
    writeFileSync(flags.output, body);
  } catch (e) {
    throw new UsageError(`cannot write ${flags.output}: ${fsErrorText(e)}`);
  }
  if (!flags.quiet) process.stderr.write(`mqtt-warden: wrote ${what} to ${flags.output}${summary}\n`);
}

/** Write text that comes in pieces (the last ending with a newline) to the file of -o, as writeOutput does. */
export function writeChunks(chunks: Iterable<string>, file: string, quiet: boolean | undefined, what: string, summary: string): void {
  let first = true;
  for (const c of chunks) {
    try {
      if (first) writeFileSync(file, c);
      else appendFileSync(file, c);
    } catch (e) {
      throw new UsageError(`cannot write ${file}: ${fsErrorText(e)}`);
    }
    first = false;
  }
  if (!quiet) process.stderr.write(`mqtt-warden: wrote ${what} to ${file}${summary}\n`);
}
