/**
 * Fixture roots for the host audit (test/fixtures/hosts/{hardened,neglected}):
 * copied to a temp dir, where the things git cannot keep are set: file modes
 * and owners of the key material. Their APT lists are `binary-all` lists of
 * `Architecture: all` packages, which apt reads on every architecture, so the
 * roots are audited as they are in git (the README's example runs on them).
 */
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HostFixture = 'hardened' | 'neglected';

const SRC = new URL('../fixtures/hosts/', import.meta.url).pathname;

export function copyHostRoot(name: HostFixture): { root: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `mw-host-${name}-${process.pid}-`));
  const root = join(dir, name);
  cpSync(join(SRC, name), root, { recursive: true });
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
    // Package lists last refreshed 30 days ago (git keeps no file times): older than the policy's update cadence (UPD-050).
    const lists = join(root, 'var/lib/apt/lists');
    const old = new Date(Date.now() - 30 * 86_400_000);
    for (const f of readdirSync(lists)) utimesSync(join(lists, f), old, old);
  }
  return { root, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
