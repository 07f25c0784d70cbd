/**
 * Byte chunks → complete lines, with counters for what cannot be a log line.
 *
 * Each chunk is decoded once (one string for all its complete lines) and the
 * parser gets [start, end) offsets into it, so there is no per-line string.
 * Garbage is counted and skipped, never fatal: lines longer than `maxLineBytes`
 * (the rest of such a line is discarded up to the next newline), lines with
 * NUL bytes (binary data) and lines that are not valid UTF-8. A partial last
 * line stays buffered; `consumed` counts only the bytes of complete lines, so
 * it is the position to store and to resume from.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { LineParser } from './events.js';

export interface LineCounters {
  read: number;
  skipped: number;
  skippedLong: number;
  skippedBinary: number;
  skippedInvalidUtf8: number;
}

export class LineSplitter {
  readonly counters: LineCounters = { read: 0, skipped: 0, skippedLong: 0, skippedBinary: 0, skippedInvalidUtf8: 0 };
  /** Bytes of complete lines handled so far (plus discarded over-long bytes). */
  consumed = 0;
  private rest: Buffer | undefined;
  private discarding = false;

  constructor(
    private readonly parser: LineParser,
    private readonly maxLineBytes: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Bytes buffered as an incomplete last line. */
  get pending(): number {
    return this.rest?.length ?? 0;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.rest) {
      // Complete the buffered partial line with the head of the chunk (a small copy), instead of
      // copying the whole chunk behind it.
      const nl = chunk.indexOf(10);
      const rest = this.rest;
      this.rest = undefined;
      if (nl < 0) buf = Buffer.concat([rest, chunk]);
      else {
        this.push(Buffer.concat([rest, chunk.subarray(0, nl + 1)]));
        if (nl + 1 >= chunk.length) return;
        buf = chunk.subarray(nl + 1);
      }
    }
    let from = 0;
    if (this.discarding) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.consumed += buf.length; // still inside the over-long line
        return;
      }
      this.discarding = false;
      this.consumed += nl + 1;
      from = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last < from) {
      this.keep(buf, from);
      return;
    }
    const body = buf.subarray(from, last);
    const ascii = isAscii(body);
    if (ascii && this.parser.lineBytes && body.indexOf(0) < 0) {
      // The usual chunk, for a parser that reads bytes: no decoding at all (see cleanBytes).
      const now = this.clock();
      const long = cleanBytes(buf, from, last, this.parser, this.maxLineBytes, now, this.counters);
      this.counters.skipped += long;
      this.counters.skippedLong += long;
      this.consumed += last + 1 - from;
      this.keep(buf, last + 1);
      return;
    }
    // Pure ASCII (the usual broker log) decodes as latin1, a plain copy; anything else as UTF-8.
    const text = body.toString(ascii ? 'latin1' : 'utf8');
    const valid = ascii || isUtf8(body);
    const hasNul = body.indexOf(0) >= 0;
    const now = this.clock();
    const c = this.counters;
    const max = this.maxLineBytes;
    if (ascii && !hasNul) {
      // The usual chunk: nothing to check per line but its length, in a loop of its own (see cleanLines).
      const long = cleanLines(text, this.parser, max, now, c);
      c.skipped += long;
      c.skippedLong += long;
      this.consumed += last + 1 - from;
      this.keep(buf, last + 1);
      return;
    }
    let start = 0;
    const n = text.length;
    // Strings are UTF-16: a line's byte length is at least its string length,
    // so a string longer than max is certainly too long; shorter ones are checked in bytes only when not ASCII.
    while (start <= n) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = n;
      c.read++;
      let stop = end;
      if (stop > start && text.charCodeAt(stop - 1) === 13) stop--; // CRLF
      if (end - start > max || (!valid && end - start > max / 4 && Buffer.byteLength(text.slice(start, end)) > max)) {
        c.skipped++;
        c.skippedLong++;
      } else if (hasNul && hasCharIn(text, '\0', start, end)) {
        c.skipped++;
        c.skippedBinary++;
      } else if (!valid && hasCharIn(text, '\uFFFD', start, end)) {
        c.skipped++;
        c.skippedInvalidUtf8++;
      } else if (stop > start) {
        this.parser.line(text, start, stop, now);
      }
      start = end + 1;
    }
    this.consumed += last + 1 - from;
    this.keep(buf, last + 1);
  }

  private keep(buf: Buffer, from: number): void {
    if (from >= buf.length) return;
    if (buf.length - from > this.maxLineBytes) {
      // An over-long line without its end yet: drop what we have, skip to its newline.
      this.counters.read++;
      this.counters.skipped++;
      this.counters.skippedLong++;
      this.consumed += buf.length - from;
      this.discarding = true;
      return;
    }
    this.rest = Buffer.from(buf.subarray(from));
  }

  /** Forget a buffered partial line (the file it came from is gone or was truncated). */
  reset(): void {
    this.rest = undefined;
    this.discarding = false;
  }
}

/**
 * The lines of an ASCII chunk without NUL bytes: counts them into `c.read`,
 * hands each non-empty one to the parser, returns how many were too long.
 * A function of its own so that V8 optimises this loop once and keeps it
 * for every chunk (inside push() the optimised loop was thrown away at the
 * end of each chunk and the next one started again in the interpreter).
 */
function cleanLines(text: string, parser: LineParser, max: number, now: number, c: LineCounters): number {
  let start = 0;
  let read = 0;
  let long = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    read++;
    if (end - start > max) long++;
    else {
      let stop = end;
      if (stop > start && text.charCodeAt(stop - 1) === 13) stop--; // CRLF
      if (stop > start) parser.line(text, start, stop, now);
    }
    start = end + 1;
  }
  c.read += read;
  return long;
}

/**
 * cleanLines for a parser with lineBytes: the lines of buf[from, last) where buf[last] is a newline,
 * read as bytes; only the lines lineBytes declines are decoded (latin1: the chunk is ASCII).
 * The prefilter is the parser's own: it tells its few line shapes apart by their first bytes.
 */
function cleanBytes(buf: Buffer, from: number, last: number, parser: LineParser, max: number, now: number, c: LineCounters): number {
  let start = from;
  let read = 0;
  let long = 0;
  while (start <= last) {
    const end = buf.indexOf(10, start);
    read++;
    if (end - start > max) long++;
    else {
      let stop = end;
      if (stop > start && buf[stop - 1] === 13) stop--; // CRLF
      if (stop > start && !parser.lineBytes!(buf, start, stop, now)) {
        const text = buf.toString('latin1', start, stop);
        parser.line(text, 0, text.length, now);
      }
    }
    start = end + 1;
  }
  c.read += read;
  return long;
}

function hasCharIn(text: string, ch: string, start: number, end: number): boolean {
  const at = text.indexOf(ch, start);
  return at >= 0 && at < end;
}
