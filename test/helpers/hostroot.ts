/**
 * Fixture roots for the host audit (test/fixtures/hosts/{hardened,neglected}):
 * copied to a temp dir, where the things git cannot keep are set — file modes
 * and owners of the key material, and APT list names for this machine's
 * architecture.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HostFixture = 'hardened' | 'neglected';

const SRC = new URL('../fixtures/hosts/', import.meta.url).pathname;

function arch(): string {
  try {
    return execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  } catch {
    return 'amd64';
  }
}

export function copyHostRoot(name: HostFixture): { root: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `mw-host-${name}-${process.pid}-`));
  const root = join(dir, name);
  cpSync(join(SRC, name), root, { recursive: true });
  const lists = join(root, 'var/lib/apt/lists');
  for (const f of readdirSync(lists)) if (f.includes('binary-ARCH')) renameSync(join(lists, f), join(lists, f.replace('binary-ARCH', `binary-${arch()}`)));
  const certs = join(root, 'etc/mosquitto/certs');
  if (name === 'hardened') {
    // root:mosquitto 0640 — what Mosquitto 2 needs after dropping privileges.
    chownSync(join(certs, 'server.key'), 0, 112);
    chmodSync(join(certs, 'server.key'), 0o640);
    chmodSync(join(root, 'etc/shadow'), 0o640);
    chownSync(join(root, 'etc/emqx/certs/broker-key.pem'), 998, 998);
    chmodSync(join(root, 'etc/emqx/certs/broker-key.pem'), 0o600);
  } else {
    // A world-readable key owned by an ordinary user.
    chownSync(join(certs, 'server.key'), 1000, 1000);
    chmodSync(join(certs, 'server.key'), 0o644);
  }
  return { root, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
