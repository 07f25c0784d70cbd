/**
 * broker-log: the broker's log (`--broker-log FILE`) gained `count` lines matching `pattern` after the step
 * began. The file's size at the step's start is the starting point; every look reads only what was
 * appended since (bounded per look), through the bounded reader.
 */
import { openRegularFileAsync } from '../../io/read.js';
import type { Expectation } from '../model.js';
import { poll, type Observer } from './types.js';

type BrokerLog = Extract<Expectation, { kind: 'broker-log' }>;

/** Read at most this much of the appended log per look. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/** Size of the log now (where the step's lines begin); 0 when it does not exist yet. */
export async function logSize(file: string): Promise<number> {
  try {
    const fh = await openRegularFileAsync(file, 'broker log');
    try {
      return (await fh.stat()).size;
    } finally {
      await fh.close();
    }
  } catch {
    return 0;
  }
}

/** The lines appended to `file` since byte `from` (a rotated, shorter file is read from its start). */
export async function appendedLines(file: string, from: number): Promise<string[]> {
  const fh = await openRegularFileAsync(file, 'broker log');
  try {
    const size = (await fh.stat()).size;
    const start = size < from ? 0 : from;
    const len = Math.min(size - start, MAX_READ_BYTES);
    if (len <= 0) return [];
    const buf = Buffer.alloc(len);
    const { bytesRead } = await fh.read(buf, 0, len, start);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    // A last line without its newline is still being written: left for the next look.
    const lines = text.split('\n');
    lines.pop();
    return lines;
  } finally {
    await fh.close();
  }
}

export const brokerLog: Observer<BrokerLog> = {
  kind: 'broker-log',
  where(_e, ctx) {
    if (!ctx.places.brokerLog) return { notVerified: 'broker-log: not verified: no --broker-log FILE given, so there was nowhere to look' };
    return { where: `broker log ${ctx.places.brokerLog}` };
  },
  async observe(e, ctx, where) {
    const file = ctx.places.brokerLog!;
    const from = ctx.brokerLogStart ?? (await logSize(file));
    let re: RegExp;
    try {
      re = new RegExp(e.pattern);
    } catch (err) {
      return { status: 'not-verified', message: `broker-log: not verified: the pattern is not a regular expression: ${(err as Error).message}`, waitedMs: 0 };
    }
    return poll(e, ctx, where, `${e.count} line(s) matching /${e.pattern}/`, async () => {
      const n = (await appendedLines(file, from)).filter((l) => re.test(l)).length;
      return { hit: n >= e.count, detail: `found (${n})` };
    });
  },
};
