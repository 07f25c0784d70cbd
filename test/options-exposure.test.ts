/**
 * Options that cannot silently widen exposure or do the opposite (issue 12, item 4), through the real CLI:
 * empty or unparsable network lists, `--clients any` and the stderr note of a rendering open to everyone,
 * modifiers without the option they modify, and YAML alias bombs in every YAML loader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-opts-exposure-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const run = (args: string[]) => runCli(args, { timeoutMs: 60_000 });

/** 9 levels of 9 aliases: about 387 million nodes when expanded. */
const LAUGHS = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n') + '\n';

test('an empty or unparsable network list is a usage error naming the option', async () => {
  const cases: [string[], RegExp][] = [
    [['--clients', ''], /--clients needs networks.*empty list.*--clients any opens MQTT to everyone/],
    [['--clients', ','], /--clients needs networks.*empty entry/],
    [['--clients', '10.0.0.0/8,'], /--clients needs networks.*empty entry/],
    [['--admins', 'foo'], /--admins: "foo" is not an IP address or CIDR network/],
    [['--peers', ''], /--peers needs networks/],
    [['--clients', 'any,10.0.0.0/8'], /--clients any opens MQTT to everyone: it cannot go with client networks \(10\.0\.0\.0\/8\)/],
  ];
  for (const [args, re] of cases) {
    const r = await run(['ports', '--node', 'emqx1@10.0.0.11', '--render', 'nftables', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')} rendered rules anyway`);
  }
});

test('a cluster file: `clients: []` is refused, `clients: any` opens MQTT explicitly, bad entries name file and index', async () => {
  const nodes = 'nodes:\n  - name: emqx1@10.0.0.11\n    listeners: [tcp:1883, dashboard-https:18084]\n';
  const empty = await run(['ports', '--cluster', file('empty.yaml', `clients: []\n${nodes}`), '--render', 'nftables']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /empty\.yaml: clients: an empty list .*write `clients: any` to open MQTT to everyone/);
  const bad = await run(['ports', '--cluster', file('bad.yaml', `clients: [10.1.0.0/16, foo]\n${nodes}`)]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.yaml: clients\[1\]: "foo" is not an IP address or CIDR network/);
  const anyFile = file('any.yaml', `clients: any\nadmins: [10.9.0.0/24]\n${nodes}`);
  const r = await run(['ports', '--cluster', anyFile, '--render', 'nftables']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tcp dport 1883 accept/);
  assert.match(r.stderr, new RegExp(`port 1883 is open to everyone: ${anyFile.replace(/[.]/g, '\\.')}: clients: any`));
  assert.ok(!/port 18084/.test(r.stderr), 'the dashboard is for admins, not everyone');
});

test('a rendering open to everyone says so on stderr: by default, and with --clients any', async () => {
  const base = ['ports', '--node', 'emqx1@10.0.0.11', '--listeners', 'tcp:1883,ssl:8883'];
  const byDefault = await run([...base, '--render', 'nftables']);
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.match(byDefault.stdout, /tcp dport 1883 accept/);
  assert.match(byDefault.stderr, /warning: port 1883 is open to everyone: no client networks given: limit it with --clients CIDR,…, or say so with --clients any/);
  assert.match(byDefault.stderr, /warning: port 8883 is open to everyone/);
  const asked = await run([...base, '--clients', 'any', '--render', 'iptables']);
  assert.equal(asked.code, 0, asked.stderr);
  assert.match(asked.stderr, /warning: port 1883 is open to everyone: --clients any\n/);
  const limited = await run([...base, '--clients', '10.1.0.0/16', '--render', 'nftables']);
  assert.equal(limited.code, 0, limited.stderr);
  assert.ok(!/open to everyone/.test(limited.stderr), limited.stderr);
  assert.ok(!/tcp dport 1883 accept/.test(limited.stdout));
  assert.match(limited.stdout, /tcp dport 1883 ip saddr @clients_v4 accept/);
  // The plan itself names the default as a medium warning.
  const plan = await run([...base]);
  assert.match(plan.stdout, /\[medium\] no client networks given \(--clients\): MQTT listeners are open to everyone/);
});

test('a modifier without the option it modifies is a usage error, in every command', async () => {
  const lynis = file('lynis.dat', 'report_version_major=1\n');
  const cases: [string[], RegExp][] = [
    [['ports', '--node', 'emqx1@10.0.0.11', '--zone', 'dmz'], /--zone goes with --render firewalld/],
    [['ports', '--node', 'emqx1@10.0.0.11', '--render', 'nftables', '--zone', 'dmz'], /--zone goes with --render firewalld/],
    [['ports', '--node', 'emqx1@10.0.0.11', '--for', 'emqx1@10.0.0.11'], /--for goes with --render, --apply or --check/],
    [['ports', '--node', 'emqx1@10.0.0.11', '--render', 'ufw', '--priority', '5'], /--priority goes with --render nftables, --apply or --check/],
    [['ports', '--node', 'emqx1@10.0.0.11', '--render', 'firewalld', '--table', 'x'], /--table goes with --render nftables\|iptables\|ip6tables, --apply, --remove or --check/],
    [['ports', '--node', 'emqx1@10.0.0.11', '--timeout', '500'], /--timeout goes with --apply, --remove or --check/],
    [['ports', '--cluster', file('c.yaml', 'nodes: [{name: emqx1@10.0.0.11}]\n'), '--listeners', 'ssl:8883'], /--listeners goes with --node/],
    [['ports', '--node', 'emqx1@10.0.0.11', '--no-ssh', '--ssh-port', '2222'], /--ssh-port goes with a planned SSH port: drop --no-ssh/],
    [['audit', '--host-only', '--max-attempts', '10'], /--max-attempts goes with --intrusive/],
    [['audit', '127.0.0.1:1', '--no-host', '--rate', '2'], /--rate goes with --intrusive/],
    [['audit', '127.0.0.1:1', '--no-host', '--lynis-report', lynis], /--lynis-report goes with the host checks: drop --no-host/],
    [['audit', '127.0.0.1:1', '--no-host', '--advisories', lynis], /--advisories goes with the host checks/],
    [['audit', '127.0.0.1:1', '--no-host', '--config', lynis], /--config goes with the host checks/],
    [['audit', '--host-only', '--revocation-online'], /--revocation-online goes with the TLS probes of network targets: --host-only runs none/],
    [['audit', '--host-only', '--canary-topic', 'a/b'], /--canary-topic goes with the network probes/],
    [['audit', '127.0.0.1:1', '--no-port-scan', '--ports', '1883'], /--ports goes with the port scan/],
    [['guard', '--remove', '--log', lynis], /--log goes with the daemon: --remove only removes/],
    [['guard', '--stdin', '--from-start'], /--from-start goes with --log/],
    [['guard', '--log-format', 'emqx'], /--log-format goes with --log, --stdin or --journald/],
    [['passwd', 'audit', lynis, '--max-seconds', '5'], /--max-candidates and --max-seconds go with --crack-test/],
  ];
  // Four at a time: the machine has two cores and other tests run beside this one.
  for (let i = 0; i < cases.length; i += 4) {
    await Promise.all(
      cases.slice(i, i + 4).map(async ([args, re]) => {
        const r = await run(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, re, args.join(' '));
      }),
    );
  }
});

test('guard test --top shows as many addresses as asked, beyond the default 20', async () => {
  // Mosquitto 2.0.11 with debug lines: one refused login from each of 30 addresses.
  const lines = Array.from({ length: 30 }, (_, i) =>
    [`1795957911: New connection from 192.0.2.${i + 1}:${40000 + i} on port 1883.`, `1795957911: Sending CONNACK to 192.0.2.${i + 1} (0, 5)`, '1795957911: Client <unknown> disconnected, not authorised.'].join('\n'),
  );
  const log = file('many.log', `${lines.join('\n')}\n`);
  const dflt = await run(['guard', 'test', log, '--no-allow-defaults']);
  const top = await run(['guard', 'test', log, '--no-allow-defaults', '--top', '25']);
  assert.equal(dflt.code, 0, dflt.stderr);
  assert.equal(top.code, 0, top.stderr);
  const count = (s: string) => (s.match(/^\s+192\.0\.2\.\d+\s/gm) ?? []).length;
  assert.equal(count(dflt.stdout), 20, dflt.stdout);
  assert.equal(count(top.stdout), 25, top.stdout);
});

test('billion-laughs YAML is refused, naming the file, by every YAML loader (exit 2, no stack trace)', async () => {
  const bomb = file('laughs.yaml', LAUGHS);
  const runs = await Promise.all([
    run(['ports', '--cluster', bomb]),
    run(['lint', '--policy', bomb, '--no-config-file', file('m.conf', 'listener 1883\n')]),
    run(['audit', '--host-only', '--policy', bomb, '--no-config-file']),
    run(['lint', '--config-file', bomb, file('m2.conf', 'listener 1883\n')]),
    run(['passwd', 'audit', '--policy', bomb, file('pw', 'u:$7$101$c2FsdA==$aGFzaA==\n')]),
  ]);
  for (const r of runs) {
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /laughs\.yaml(:1:1)?: too many YAML alias expansions \(more than 100\)/);
    assert.ok(!/internal error|ReferenceError|\n\s+at /.test(r.stderr), r.stderr);
  }
});

test('files that are not configs are refused, not judged: lint, passwd audit, audit --config; a directory walk skips them with a note', async () => {
  const elf = file('ls-copy', Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), Buffer.from('\nnode.cookie = "emqxsecretcookie"\nlisteners.tcp.default.bind = "0.0.0.0:1883"\n')]).toString('latin1'));
  const random = join(dir, 'random.conf');
  writeFileSync(random, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  const dpkg = file('status', 'Package: mosquitto\nStatus: install ok installed\nVersion: 2.0.11-1\nDescription: MQTT broker\n');
  const cases: [string[], RegExp][] = [
    [['lint', '/bin/ls'], /\/bin\/ls: not a Mosquitto or EMQX config \(binary file: ELF executable or library\)/],
    [['lint', elf], /ls-copy: not a Mosquitto or EMQX config \(binary file: ELF executable or library\)/],
    [['lint', '--config-type', 'emqx', elf], /ls-copy: not a Mosquitto or EMQX config \(binary file/],
    [['lint', random], /random\.conf: not a Mosquitto or EMQX config \(binary file\)/],
    [['lint', dpkg], /status: cannot tell whether this is a Mosquitto or EMQX file; use --config-type/],
    [['passwd', 'audit', '/bin/ls'], /\/bin\/ls: not a password file or Mosquitto config \(binary file: ELF/],
    [['audit', '--host-only', '--config', '/bin/ls'], /--config \/bin\/ls: not a Mosquitto or EMQX config \(binary file: ELF/],
  ];
  for (const [args, re] of cases) {
    const r = await run([...args, '--no-config-file']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.ok(!/EMQX default|cookie/i.test(r.stdout), `${args.join(' ')} judged the file: ${r.stdout}`);
  }
  const tree = join(dir, 'tree');
  mkdirSync(tree);
  copyFileSync('/bin/true', join(tree, 'true.conf'));
  writeFileSync(join(tree, 'mosquitto.conf'), 'listener 8883\ncertfile /etc/ssl/c.pem\nkeyfile /etc/ssl/k.pem\nallow_anonymous false\npassword_file /etc/mosquitto/pw\n');
  const walk = await run(['lint', tree, '--no-config-file', '-f', 'json', '--fail-on', 'none']);
  assert.equal(walk.code, 0, walk.stderr);
  const report = JSON.parse(walk.stdout) as { notes?: string[]; results: { locations?: { file?: string }[] }[] };
  assert.ok(report.notes?.some((n) => /true\.conf: skipped, not a Mosquitto or EMQX config \(binary file: ELF/.test(n)), JSON.stringify(report.notes));
  assert.ok(!walk.stdout.includes('true.conf"'), 'the binary was linted');
});
