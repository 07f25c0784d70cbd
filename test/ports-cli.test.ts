/**
 * `mqtt-warden ports` end to end: plan and render output, usage errors, and
 * --check / --apply / --remove inside a network namespace against real
 * listening sockets and the real nft.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, netnsUnavailable } from './helpers/netns.js';
import type { Report } from '../src/core/types.js';
import { Command, CommanderError } from 'commander';
import { register } from '../src/cli/ports.js';
import { UsageError } from '../src/cli/common.js';
import { reportErrors } from './helpers/schemas.js';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
const FIXTURE = new URL('./fixtures/ports/cluster-3.yaml', import.meta.url).pathname;
const unavailable = await netnsUnavailable();

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('ports prints the plan (table, JSON, Markdown) and renders firewalls', async () => {
  const [table, json, md, nft] = await Promise.all([
    cli(['ports', '--cluster', FIXTURE]),
    cli(['ports', '--node', 'emqx1@10.0.0.11', '--node', 'emqx-2@10.0.0.12=10.0.0.12,fd00::12', '--clients', '10.1.0.0/16', '-f', 'json']),
    cli(['ports', '--node', 'emqx@10.0.0.1', '--listeners', 'ssl:8883', '--rpc-port-discovery', 'manual', '-f', 'markdown']),
    cli(['ports', '--cluster', FIXTURE, '--for', 'emqx2@10.0.0.12', '--render', 'nftables', '--table', 'mw_cli', '--priority', '-5']),
  ]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^emqx3@10\.0\.0\.13\s+4373\/tcp\s+erlang-dist\s+peers\s+4370 \+ 3/m);
  assert.equal(json.code, 0, json.stderr);
  const plan = JSON.parse(json.stdout);
  assert.deepEqual(plan.nodes[1].ports.slice(0, 2).map((p: { port: number }) => p.port), [4372, 5372]);
  assert.deepEqual(plan.networks.peers, ['10.0.0.11', '10.0.0.12', 'fd00::12']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /\| emqx@10\.0\.0\.1 \| 5369\/tcp \| cluster-rpc \| peers \|/);
  assert.match(md.stdout, /rpc\.port_discovery = manual with the default rpc\.server_port 5369/);
  assert.equal(nft.code, 0, nft.stderr);
  assert.match(nft.stdout, /type filter hook input priority filter - 5; policy drop;/);
  assert.match(nft.stdout, /tcp dport 4372 ip saddr @peers_v4 accept/);
});

/** The sub-command in-process: what it throws is what src/cli.ts turns into exit 2 with the message. */
async function inProcess(args: string[]): Promise<Error | undefined> {
  const program = new Command('mqtt-warden').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  register(program, () => undefined);
  try {
    await program.parseAsync(['node', 'mqtt-warden', 'ports', ...args]);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

test('ports: bad input is a usage error that names the place', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-ports-'));
  try {
    writeFileSync(join(dir, 'bad.yaml'), 'nodes:\n  - name: emqx1@10.0.0.1\n    listeners: [ssl:8883]\n    colour: blue\n');
    const cases: [string[], RegExp][] = [
      [[], /nothing to plan/],
      [['--node', 'emqx1@10.0.0.1', '--node', 'emqx2@10.0.0.2', '--render', 'iptables'], /covers 2 hosts.*emqx1@10\.0\.0\.1, emqx2@10\.0\.0\.2/],
      [['--node', 'emqx1@10.0.0.1', '--admins', '10.0.0.0/33'], /--admins: "10\.0\.0\.0\/33" is not an IP address or CIDR network/],
      [['--cluster', join(dir, 'bad.yaml')], /bad\.yaml: nodes\[0\]/],
      [['--cluster', join(dir, 'missing.yaml')], /cannot read cluster file .*missing\.yaml: ENOENT/],
      [['--node', 'emqx1@10.0.0.1', '--listeners', 'mqtt:1883'], /--listeners #1: "mqtt:1883"/],
      [['--node', 'emqx1@10.0.0.1', '--render', 'nftables', '--table', 'x y'], /--table: firewall name/],
      [['--node', 'emqx1@10.0.0.1', '--rpc-server-port', '5400'], /needs --rpc-port-discovery manual/],
      [['--node', 'emqx1@10.0.0.1', '--render', 'ufw', '--check'], /choose one of/],
      [['--node', 'emqx1@10.0.0.1', '--priority', 'high'], /--priority must be a whole number/],
      // A modifier without the option it modifies.
      [['--node', 'emqx1@10.0.0.1', '--no-dry-run'], /--no-dry-run goes with --apply/],
      [['--node', 'emqx1@10.0.0.1', '--remove', '--no-dry-run'], /--no-dry-run goes with --apply/],
      [['--node', 'emqx1@10.0.0.1', '--dry-run'], /--dry-run goes with --apply or --remove/],
      [['--node', 'emqx1@10.0.0.1', '--render', 'nftables', '--dry-run'], /--dry-run goes with --apply or --remove/],
    ];
    for (const [args, want] of cases) {
      const e = await inProcess(args);
      assert.ok(e instanceof UsageError || e instanceof CommanderError, `${args.join(' ')}: ${String(e)}`);
      assert.match(e.message, want, args.join(' '));
    }
    // Through the real CLI: exit 2, and the Erlang node names are printed, not redacted like user@host.
    const r = await cli(['ports', '--node', 'emqx1@10.0.0.1', '--node', 'emqx2@10.0.0.2', '--render', 'nftables']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nodes: emqx1@10\.0\.0\.1, emqx2@10\.0\.0\.2\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ports --check, --apply and --remove inside a namespace: real sockets, real nft, exit codes', { skip: unavailable, timeout: 120_000 }, async () => {
  const lab = await createLab(['node', 'peer', 'client']);
  const dir = mkdtempSync(join(tmpdir(), 'mw-ports-'));
  const table = `mwc_${process.pid}_${randomBytes(2).toString('hex')}`;
  // emqx1 at the lab's node address: distribution + RPC for the peer, TLS MQTT for the client, nothing else.
  const cluster = join(dir, 'cluster.yaml');
  writeFileSync(
    cluster,
    ['clients: [10.77.0.3/32, "fd77::3"]', 'ssh: false', 'nodes:', '  - name: emqx1@10.77.0.1', '    addresses: [10.77.0.1, "fd77::1"]', '    listeners: [ssl:8883]', '  - name: emqx2@10.77.0.2', '    addresses: [10.77.0.2, "fd77::2"]', ''].join('\n'),
  );
  const inNode = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('ip', ['netns', 'exec', lab.members.node!.ns, process.execPath, '--import', 'tsx', CLI, 'ports', '--cluster', cluster, '--table', table, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  const report = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Report;
  const status = (r: Report) => Object.fromEntries(r.results.map((x) => [x.checkId, x.status]));
  try {
    // The planned ports and one nobody planned, all on every interface.
    const server = lab.spawn('node', process.execPath, [
      '-e',
      "const net=require('net');let n=0;for(const p of [4371,5371,8883,9999])net.createServer(c=>c.end()).listen(p,'::',()=>{if(++n===4)console.log('up')})",
    ]);
    await once(server.stdout!, 'data');

    const before = join(dir, 'before.json');
    const r1 = await inNode(['--check', '--report-format', 'json', '-o', before]);
    assert.equal(r1.code, 1, r1.stderr);
    const b = report(before);
    assert.equal(reportErrors(b), '', 'the --check report validates against schema/report.schema.json');
    assert.deepEqual(status(b), { 'SVC-052': 'FAIL', 'SVC-053': 'PASS', 'SVC-054': 'FAIL', 'SVC-055': 'FAIL', 'SVC-090': 'SKIP' });
    const byId = (r: Report, id: string) => r.results.find((x) => x.checkId === id)!;
    assert.match(byId(b, 'SVC-052').message, /tcp\/9999 on \[::\]/);
    assert.equal(byId(b, 'SVC-054').severity, 'high');
    assert.match(byId(b, 'SVC-054').message, /tcp\/4371 \(erlang-dist, planned for peers\)/);
    assert.match(byId(b, 'SVC-055').message, /is not loaded/);

    // The security policy's allowed networks against the plan (SVC-090): IPv4 only for management leaves the IPv6 peers outside.
    const v4only = join(dir, 'policy-v4.yaml');
    writeFileSync(v4only, 'networks:\n  management: [10.77.0.0/24]\n  clients: [10.77.0.0/24, "fd77::/64"]\n');
    const allowAll = join(dir, 'policy-both.yaml');
    writeFileSync(allowAll, 'networks:\n  management: [10.77.0.0/24, "fd77::/64"]\n  clients: [10.77.0.0/24, "fd77::/64"]\n');
    const withPolicy = async (file: string) => {
      const out = join(dir, 'policy.json');
      await inNode(['--check', '--policy', file, '--report-format', 'json', '-o', out]);
      return byId(report(out), 'SVC-090');
    };
    const outside = await withPolicy(v4only);
    assert.equal(outside.status, 'FAIL');
    assert.equal(outside.severity, 'high');
    assert.match(outside.message, /opens tcp\/4371 \(erlang-dist\), tcp\/5371 \(cluster-rpc\) to cluster peers at fd77::1, fd77::2, outside the policy's management networks \(10\.77\.0\.0\/24; networks\.management\)/);
    assert.equal((await withPolicy(allowAll)).status, 'PASS');

    // Plan → apply: --dry-run prints the diff and changes nothing.
    const dry = await inNode(['--apply', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+\s+tcp dport 4371 ip saddr @peers_v4 accept/);
    assert.match(dry.stderr, /dry run, nothing changed/);
    await assert.rejects(lab.exec('node', 'nft', ['list', 'table', 'inet', table]), /No such file/, 'a dry run changes nothing');
    // --dry-run wins over the deprecated --no-dry-run, in either order.
    const both = await inNode(['--apply', '--no-dry-run', '--dry-run']);
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stderr, /--no-dry-run is deprecated/);
    await assert.rejects(lab.exec('node', 'nft', ['list', 'table', 'inet', table]), /No such file/, '--dry-run with --no-dry-run still changes nothing');

    // --apply applies, printing the diff it applies.
    const applied = await inNode(['--apply']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /\+\s+tcp dport 4371 ip saddr @peers_v4 accept/);
    assert.match(applied.stderr, /applied table inet .* \(new\)/);
    assert.doesNotMatch(applied.stderr, /deprecated/);
    assert.match((await lab.exec('node', 'nft', ['list', 'table', 'inet', table])).stdout, /comment "mqtt-warden ports"/, 'the table carries the owner mark');
    assert.equal(await lab.canConnect('client', '10.77.0.1', 4371, 700), false, 'the client no longer reaches the distribution port');
    assert.equal(await lab.canConnect('peer', 'fd77::1', 4371, 3000), true);
    // The deprecated spelling keeps working, with a note.
    const old = await inNode(['--apply', '--no-dry-run']);
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stderr, /mqtt-warden: --no-dry-run is deprecated: `ports --apply` applies; use --dry-run to preview/);
    assert.match(old.stdout, /is live and equal to the plan: nothing to do/);

    const after = join(dir, 'after.json');
    const r2 = await inNode(['--check', '--report-format', 'json', '-o', after]);
    const a = report(after);
    assert.deepEqual(status(a), { 'SVC-052': 'FAIL', 'SVC-053': 'PASS', 'SVC-054': 'PASS', 'SVC-055': 'PASS', 'SVC-090': 'SKIP' });
    assert.equal(r2.code, 1, 'the unplanned listener is still a finding');
    const r3 = await inNode(['--check', '--fail-on', 'high', '--report-format', 'json', '-o', after]);
    assert.equal(r3.code, 0, r3.stderr);

    // Drift: a hand-made rule in the table shows up as a diff.
    await lab.exec('node', 'nft', ['add', 'rule', 'inet', table, 'input', 'tcp', 'dport', '9999', 'accept']);
    await inNode(['--check', '--report-format', 'json', '-o', after]);
    const drift = byId(report(after), 'SVC-055');
    assert.equal(drift.status, 'FAIL');
    assert.match(String(drift.evidence.diff), /^-\s+tcp dport 9999 accept$/m);

    const dryRemove = await inNode(['--remove', '--dry-run']);
    assert.equal(dryRemove.code, 0, dryRemove.stderr);
    assert.match(dryRemove.stdout, /^-\s+chain input \{$/m, 'the preview shows the table that would go');
    assert.ok(await lab.exec('node', 'nft', ['list', 'table', 'inet', table]), '--remove --dry-run deletes nothing');
    const removed = await inNode(['--remove']);
    assert.equal(removed.code, 0);
    assert.match(removed.stderr, /removed table/);
    assert.match((await inNode(['--remove'])).stderr, /nothing to remove/);
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
