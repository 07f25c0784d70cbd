/** A small runner for nft/ipset/iptables: argv only (no shell), stdin, timeout, stderr in the error. */
import { execFile } from 'node:child_process';

export class CommandError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

export function runCommand(cmd: string, args: string[], input?: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim().split('\n').slice(0, 6).join(' | ');
        reject(new CommandError(`${cmd} ${args.join(' ')}: ${detail}`, stderr));
      } else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
