/**
 * Follow a log file the way logrotate leaves it:
 *  - rename rotation (create): the path gets a new inode; the old file is read
 *    to its end through the still-open descriptor, then the new one from 0;
 *  - copytruncate: same inode, but the size shrank below our offset or the
 *    first line changed (fail2ban's check: a hash of the first line). Lines
 *    written after our last read and before the truncation are in the copy
 *    (`rotated`, default PATH.1): when its first line matches ours it is read
 *    from our offset to its end, so nothing is lost;
 *  - a file that appears later is read from its start;
 *  - a partial last line waits for its newline.
 * fs.watch on the directory wakes the follower early; a poll timer is the
 * fallback (watchers miss events on some filesystems).
 *
 * Position = { inode, offset of the first unread byte, hash of the first line }.
 * The follower never advances the stored position past a partial line.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { LineParser } from '../events.js';
import { LineSplitter } from '../lines.js';
import type { Position } from '../state.js';

export interface FileSourceOptions {
  path: string;
  rotated?: string;
  parser: LineParser;
  maxLineBytes: number;
  pollMs: number;
  startAt: 'end' | 'start';
  stored: Position | undefined;
  /** Called after every batch of complete lines with the position behind them. */
  onBatch(position: Position): void;
  onError(message: string): void;
  onRotate?(kind: 'rename' | 'copytruncate' | 'appeared'): void;
}

const READ_BYTES = 1 << 20;
const MAX_PER_TICK = 8 << 20;

export function headHash(fd: number): string {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  const nl = buf.subarray(0, n).indexOf(10);
  if (nl < 0) return ''; // no complete first line yet
  return createHash('sha256').update(buf.subarray(0, nl)).digest('hex').slice(0, 32);
}

function fileHead(file: string): { ino: string; size: number; head: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    return { ino: String(st.ino), size: st.size, head: headHash(fd) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class FileSource {
  readonly name: string;
  private fd: number | undefined;
  private ino = '';
  private head = '';
  private offset = 0;
  private splitter: LineSplitter;
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private first = true;
  private old: { fd: number; offset: number; until: number; splitter: LineSplitter } | undefined;
  private busy = false;
  private again = false;
  private more = false;
  private stopped = false;
  private readonly buf = Buffer.allocUnsafe(READ_BYTES);
  rotations = 0;

  constructor(private readonly o: FileSourceOptions) {
    this.name = `file:${o.path}`;
    this.splitter = new LineSplitter(o.parser, o.maxLineBytes);
  }

  get counters() {
    return this.splitter.counters;
  }

  /** Bytes in the file not yet read (lag). */
  lagBytes(): number {
    try {
      return Math.max(0, statSync(this.o.path).size - this.offset);
    } catch {
      return 0;
    }
  }

  start(): void {
    setImmediate(() => this.tick());
    this.timer = setInterval(() => this.tick(), this.o.pollMs);
    try {
      this.watcher = watch(path.dirname(this.o.path), { persistent: false }, (_ev, name) => {
        if (!name || name.toString() === path.basename(this.o.path)) this.tick();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // polling only
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    this.closeOld();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Read whatever is new; also usable synchronously from tests. */
  tick(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        this.more = false;
        this.step();
      } while (this.again && !this.more && !this.stopped);
    } catch (e) {
      this.o.onError(`${this.o.path}: ${(e as Error).message}`);
    } finally {
      this.busy = false;
    }
    // A big backlog is read in slices so that signals, timers and Redis keep being served.
    if (this.more && !this.stopped) setImmediate(() => this.tick());
  }

  private position(): Position {
    return { source: this.name, inode: this.ino, offset: this.offset - this.splitter.pending, head: this.head, context: this.o.parser.snapshot?.() ?? '' };
  }

  private step(): void {
    this.drainOld();
    if (this.fd === undefined && !this.open()) return;
    let st;
    try {
      st = statSync(this.o.path);
    } catch {
      this.drain(this.fd!); // moved away and not recreated yet: keep reading the old descriptor
      return;
    }
    if (String(st.ino) !== this.ino) {
      // Rename rotation: finish the old file; keep its descriptor a little longer for lines the
      // broker writes before it reopens its log (logrotate's postrotate HUP comes after the rename).
      this.drain(this.fd!);
      this.flushPartial();
      this.closeOld();
      this.old = { fd: this.fd!, offset: this.offset, until: Date.now() + Math.max(2000, 8 * this.o.pollMs), splitter: new LineSplitter(this.o.parser, this.o.maxLineBytes) };
      this.fd = undefined;
      this.rotations++;
      this.o.onRotate?.('rename');
      if (this.open(true)) this.drain(this.fd!);
      return;
    }
    // Truncation is checked BEFORE reading: after copytruncate, bytes at our old offset belong to new lines.
    const size = fstatSync(this.fd!).size;
    const head = this.head ? headHash(this.fd!) : '';
    if (size < this.offset || (this.head && head !== this.head)) {
      // copytruncate: first read what the copy holds beyond our offset.
      const copy = this.o.rotated ?? `${this.o.path}.1`;
      const c = fileHead(copy);
      if (c && c.head === this.head && c.size > this.offset) {
        const fd = openSync(copy, 'r');
        try {
          this.drain(fd);
        } finally {
          closeSync(fd);
        }
      }
      this.flushPartial();
      this.offset = 0;
      this.head = head === this.head ? '' : head;
      this.rotations++;
      this.o.onRotate?.('copytruncate');
      this.o.onBatch(this.position());
    } else if (!this.head) {
      this.head = headHash(this.fd!);
      if (this.head) this.o.onBatch(this.position());
    }
    this.drain(this.fd!);
  }

  /** Lines the broker still appends to a renamed-away file, until the grace period ends. */
  private drainOld(): void {
    const old = this.old;
    if (!old) return;
    if (fstatSync(old.fd).size < old.offset) {
      this.closeOld(); // the renamed file was truncated or rewritten: nothing more of ours in it
      return;
    }
    for (;;) {
      const n = readSync(old.fd, this.buf, 0, READ_BYTES, old.offset);
      if (n <= 0) break;
      old.offset += n;
      old.splitter.push(this.buf.subarray(0, n));
      this.o.onBatch(this.position());
    }
    if (Date.now() > old.until) this.closeOld();
  }

  private closeOld(): void {
    if (!this.old) return;
    if (this.old.splitter.pending) this.old.splitter.push(Buffer.from('\n'));
    closeSync(this.old.fd);
    this.old = undefined;
  }

  /** Open the path; choose where to start. */
  private open(afterRotation = false): boolean {
    let fd: number;
    try {
      fd = openSync(this.o.path, 'r');
    } catch {
      this.first = false;
      return false;
    }
    const st = fstatSync(fd);
    const ino = String(st.ino);
    const head = headHash(fd);
    const stored = this.first ? this.o.stored : undefined;
    let offset = 0;
    if (stored && stored.inode === ino && (!stored.head || stored.head === head) && st.size >= stored.offset) {
      offset = stored.offset;
      if (stored.context) this.o.parser.restore?.(stored.context);
    } else if (stored) {
      // Rotated while we were down: finish the old file from the copy if it is still there.
      const copy = this.o.rotated ?? `${this.o.path}.1`;
      const c = fileHead(copy);
      if (c && stored.head && (c.ino === stored.inode || c.head === stored.head) && c.size > stored.offset) {
        const cfd = openSync(copy, 'r');
        try {
          // Positions reported while finishing the copy still name the old file.
          this.ino = stored.inode;
          this.head = stored.head;
          this.offset = stored.offset;
          if (stored.context) this.o.parser.restore?.(stored.context);
          this.drain(cfd);
          this.flushPartial();
        } finally {
          closeSync(cfd);
        }
      }
      this.o.onRotate?.('rename');
    } else if (this.first && this.o.startAt === 'end' && !afterRotation) {
      offset = st.size;
    } else if (!this.first && !afterRotation) {
      this.o.onRotate?.('appeared');
    }
    this.first = false;
    this.fd = fd;
    this.ino = ino;
    this.head = head;
    this.offset = offset;
    this.splitter.reset();
    this.o.onBatch(this.position());
    return true;
  }

  private drain(fd: number): void {
    let total = 0;
    for (;;) {
      const n = readSync(fd, this.buf, 0, READ_BYTES, this.offset);
      if (n <= 0) break;
      this.offset += n;
      this.splitter.push(this.buf.subarray(0, n));
      total += n;
      if (total >= MAX_PER_TICK) {
        this.more = true;
        break;
      }
    }
    // One batch (one state transaction) per slice of up to MAX_PER_TICK bytes, not per read:
    // a commit per 1 MB read cost as much as the parsing when catching up with a large backlog.
    if (total) this.o.onBatch(this.position());
  }

  /** A partial line at the end of a rotated-away file will never be completed: parse it as is. */
  private flushPartial(): void {
    if (this.splitter.pending) this.splitter.push(Buffer.from('\n'));
    this.splitter.reset();
  }
}
