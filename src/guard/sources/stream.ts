/**
 * Line sources that are streams: stdin, and journald through
 * `journalctl -f -o json` (resumes after the stored cursor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { LineParser } from '../events.js';
import { LineSplitter } from '../lines.js';
import type { Position } from '../state.js';

export class StdinSource {
  readonly name = 'stdin';
  private readonly splitter: LineSplitter;
  private stopped = false;
  constructor(private readonly input: Readable, parser: LineParser, maxLineBytes: number, private readonly onBatch: (p: Position | undefined) => void) {
    this.splitter = new LineSplitter(parser, maxLineBytes);
  }
  get counters() {
    return this.splitter.counters;
  }
  start(): void {
    this.input.on('data', (chunk: Buffer) => {
      if (this.stopped) return;
      this.splitter.push(chunk);
      this.onBatch(undefined);
    });
    this.input.on('end', () => {
      // input without a final newline: its last line is complete now
      if (!this.stopped && this.splitter.pending) {
        this.splitter.push(Buffer.from('\n'));
        this.onBatch(undefined);
      }
    });
  }
  stop(): void {
    this.stopped = true;
    this.input.pause();
  }
}

export class JournaldSource {
  readonly name: string;
  private child: ChildProcess | undefined;
  private stopped = false;
  readonly counters = { read: 0, skipped: 0, skippedLong: 0, skippedBinary: 0, skippedInvalidUtf8: 0 };
  constructor(
    private readonly unit: string,
    private readonly parser: LineParser,
    private readonly stored: Position | undefined,
    private readonly onBatch: (p: Position) => void,
    private readonly onError: (m: string) => void,
    private readonly journalctl = 'journalctl',
  ) {
    this.name = `journald:${unit}`;
  }

  start(): void {
    const args = ['-f', '-o', 'json', '-u', this.unit, '--no-pager'];
    if (this.stored?.head) args.push(`--after-cursor=${this.stored.head}`);
    else args.push('-n', '0');
    const child = spawn(this.journalctl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.on('error', (e) => this.onError(`journalctl: ${e.message}`));
    child.stderr?.on('data', (d: Buffer) => this.onError(`journalctl: ${d.toString().trim()}`));
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (this.stopped) return;
      this.counters.read++;
      let rec: { MESSAGE?: unknown; __REALTIME_TIMESTAMP?: string; __CURSOR?: string };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        this.counters.skipped++;
        return;
      }
      // journald gives binary messages as byte arrays: not a broker log line.
      if (typeof rec.MESSAGE !== 'string') {
        this.counters.skipped++;
        this.counters.skippedBinary++;
        return;
      }
      const t = rec.__REALTIME_TIMESTAMP ? Math.floor(Number(rec.__REALTIME_TIMESTAMP) / 1000) : Date.now();
      this.parser.line(rec.MESSAGE, 0, rec.MESSAGE.length, t);
      if (rec.__CURSOR) this.onBatch({ source: this.name, inode: 'journald', offset: 0, head: rec.__CURSOR });
    });
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill('SIGTERM');
  }
}
