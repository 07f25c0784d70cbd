/**
 * A tab before or right after an ACL keyword: Mosquitto refuses the line and with it the whole ACL file,
 * so the broker does not start. The parser's finding is compared with what the real broker does with
 * the same file, so that it stays true on the Mosquitto the tests run with.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseMosquittoAcl } from '../src/config/mosquitto.js';
import { mosquittoPath, mosquittoSkipReason } from './helpers/mosquitto.js';

const CASES: { name: string; acl: string; refused: boolean }[] = [
  { name: 'spaces only', acl: 'user u1\ntopic read a/#\n  topic write b/#\npattern read c/%u\n', refused: false },
  { name: 'tab after topic', acl: 'user u1\ntopic\tread a/#\n', refused: true },
  { name: 'tab before topic', acl: 'user u1\n\ttopic read a/#\n', refused: true },
  { name: 'tab after user', acl: 'user\tu1\ntopic read a/#\n', refused: true },
  { name: 'tab after pattern', acl: 'pattern\tread a/%u\n', refused: true },
];

test('ACL lines with tabs: the parser reports exactly the files the real Mosquitto refuses', { skip: mosquittoSkipReason() }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-acl-tabs-'));
  chmodSync(dir, 0o755); // run as root, Mosquitto drops to its own user before reading the ACL
  try {
    for (const c of CASES) {
      const acl = path.join(dir, `${c.name.replace(/\W+/g, '-')}.acl`);
      const conf = path.join(dir, 'mosquitto.conf');
      writeFileSync(acl, c.acl, { mode: 0o644 });
      // Mosquitto 2.0 takes `listener 0 127.0.0.1` for a unix socket named "127.0.0.1", which it cannot
      // create here: a broker that accepted the ACL (read before the listeners) stops right after
      // "Opening ... listen socket", and nothing is ever served.
      writeFileSync(conf, `listener 0 127.0.0.1\nallow_anonymous false\nacl_file ${acl}\nlog_dest stderr\n`);
      const r = spawnSync(mosquittoPath()!, ['-c', conf], { encoding: 'utf8', timeout: 1500 });
      const refusedByBroker = /Invalid line in acl_file/.test(`${r.stdout}${r.stderr}`);
      const said = `${c.name}: mosquitto said ${JSON.stringify((r.stdout + r.stderr).slice(0, 300))}`;
      assert.equal(refusedByBroker, c.refused, said);
      if (!c.refused) assert.match(`${r.stdout}${r.stderr}`, /Opening .*listen socket/, `${said} (it did not get past the ACL)`);
      const issues = parseMosquittoAcl(c.acl, acl).issues.filter((i) => /Invalid line in acl_file/.test(i.message));
      assert.equal(issues.length > 0, c.refused, `${c.name}: parser issues ${JSON.stringify(issues)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
