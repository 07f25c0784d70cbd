/**
 * One long-lived `nft --echo --interactive` process for the guard's bans.
 *
 * Starting nft for every ban costs 10–25 ms (process start, libnftables, the
 * ruleset cache), most of the detection-to-ban latency. In interactive mode
 * nft reads one command line at a time from stdin and runs each line as one
 * transaction; with --echo it prints "# new generation N by process P (nft)"
 * on stdout once that transaction is committed (verified with nftables 1.0.6),
 * and "Error: …" on stderr when it is refused. A line is therefore done when
 * its generation line arrives, and failed when an error arrives first.
 *
 * One line at a time: the next is written only after the previous one is done.
 * After an error, a timeout or an exit of nft the process is discarded and the
 * next call starts a fresh one, so no stale output is ever taken for the answer
 * to a later line. The caller falls back to `nft -f -` when nft cannot be
 * started at all.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SYSTEM_PATH } from '../../firewall/run.js';

const GENERATION = /^# new generation \d+/m;

export class NftSession {
  private child: ChildProcessWithoutNullStreams | undefined;
  private queue: Promise<void> = Promise.resolve();
  private current: { resolve: () => void; reject: (e: Error) => void; out: string; err: string; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly timeoutMs = 5_000) {}

  /** Run the commands as one transaction; resolves once nft has committed it. */
  run(commands: string[]): Promise<void> {
    const line = `${commands.join('; ')}\n`;
    const next = this.queue.then(() => this.send(line));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The running nft's process id, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Start nft ahead of the first ban (its start is the cost this session saves). */
  warm(): void {
    this.child ??= this.start();
  }

  close(): void {
    const c = this.child;
    this.child = undefined;
    if (c) {
      c.stdin.end();
      c.kill();
    }
  }

  private start(): ChildProcessWithoutNullStreams {
    const path = process.env.PATH ? `${process.env.PATH}:${SYSTEM_PATH}` : SYSTEM_PATH;
    const child = spawn('nft', ['--echo', '--interactive'], { env: { ...process.env, PATH: path, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    // Events of a process already discarded are ignored: they must not settle a later line.
    const fail = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.finish(new Error(why));
    };
    child.on('error', (e) => fail(`nft: ${e.message}`));
    child.on('exit', (code, signal) => fail(`nft --interactive exited (${signal ?? code})`));
    child.stdin.on('error', () => undefined); // EPIPE after an exit: reported through 'exit'
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      const cur = this.current;
      if (!cur || this.child !== child) return;
      cur.out += d;
      if (GENERATION.test(cur.out)) this.finish();
    });
    child.stderr.on('data', (d: string) => {
      const cur = this.current;
      if (!cur || this.child !== child) return;
      cur.err += d;
      // Let the rest of nft's message (the command and the caret line) arrive, then give up this process.
      if (/Error:/.test(cur.err)) setTimeout(() => this.current === cur && this.failAndDiscard(cur.err.trim()), 20);
    });
    return child;
  }

  private send(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child ??= this.start();
      const timer = setTimeout(() => this.failAndDiscard(`nft --interactive did not answer within ${this.timeoutMs} ms`), this.timeoutMs);
      this.current = { resolve, reject, out: '', err: '', timer };
      this.child.stdin.write(line);
    });
  }

  private failAndDiscard(message: string): void {
    this.close();
    this.finish(new Error(message));
  }

  private finish(error?: Error): void {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    clearTimeout(cur.timer);
    if (error) cur.reject(error);
    else cur.resolve();
  }
}
