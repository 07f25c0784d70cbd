/**
 * The one command runner (src/firewall/run.ts): argv without a shell, stdin,
 * timeouts, bounded output, and errors that name the command and the cause,
 * judged on real programs and real nft messages (inside a private network
 * namespace, and as an unprivileged user).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { CommandError, exec, explain, isAbsent, runCommand } from '../src/firewall/run.js';
import { netnsUnavailable } from './helpers/netns.js';
import { needCommands } from './helpers/guard.js';

test('runner: argv is not a shell, stdin reaches the program, non-zero exits and missing programs are named', async () => {
  const echoed = await runCommand('printf', ['%s', '$(id); rm -rf /']);
  assert.equal(echoed.stdout, '$(id); rm -rf /', 'arguments are passed literally');
  assert.equal((await runCommand('cat', [], { input: 'line\n' })).stdout, 'line\n');
  // A program that does not read its stdin does not crash the runner.
  assert.equal((await runCommand('true', [], { input: 'x'.repeat(1 << 20) })).stdout, '');

  await assert.rejects(runCommand('sh', ['-c', 'echo boom >&2; exit 3']), (e: unknown) => {
    assert.ok(e instanceof CommandError);
    assert.equal(e.status, 3);
    assert.equal(e.kind, 'failed');
    assert.match(e.message, /^sh -c echo boom >&2; exit 3: boom$/);
    return true;
  });
  const name = `mw-no-such-${randomBytes(3).toString('hex')}`;
  await assert.rejects(runCommand(name, ['x']), (e: unknown) => e instanceof CommandError && e.kind === 'not-installed' && e.message === `${name}: not installed (not found on PATH)`);
  const r = await exec('sh', ['-c', 'exit 4']);
  assert.deepEqual(r, { ok: true, stdout: '', stderr: '', code: 4 }, 'exec reports the exit status without throwing');
});

test('runner: a hanging program is stopped at the timeout, a flood of output at the bound', { timeout: 20_000 }, async () => {
  const t0 = Date.now();
  await assert.rejects(runCommand('sleep', ['30'], { timeoutMs: 300 }), (e: unknown) => e instanceof CommandError && e.kind === 'timeout' && /^sleep 30: no answer within 300 ms, stopped$/.test(e.message));
  assert.ok(Date.now() - t0 < 5000, 'stopped promptly');
  await assert.rejects(runCommand('yes', [], { maxOutputBytes: 4096, timeoutMs: 10_000 }), (e: unknown) => e instanceof CommandError && e.kind === 'output-limit' && /output larger than 4096 bytes/.test(e.message));
});

const nsSkip = (await netnsUnavailable()) ?? needCommands('nft', 'setpriv');

test('runner: real nft failures say what they mean (table absent, no permission)', { skip: nsSkip, timeout: 20_000 }, async () => {
  // A table that does not exist (random name; listing is read-only): classified as absent, nft's words kept.
  const table = `mw_absent_${randomBytes(4).toString('hex')}`;
  await assert.rejects(runCommand('nft', ['list', 'table', 'inet', table]), (e: unknown) => {
    assert.ok(e instanceof CommandError);
    assert.equal(e.kind, 'absent');
    assert.ok(isAbsent(e));
    assert.match(e.message, new RegExp(`^nft list table inet ${table}: the table, chain, set or rule does not exist \\(Error: No such file or directory`));
    return true;
  });
  // An unprivileged nft: "no permission", with nft's message kept.
  let stderr = '';
  try {
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'nft', 'list', 'ruleset'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    stderr = String((e as { stderr: Buffer }).stderr);
  }
  assert.match(stderr, /Operation not permitted/);
  assert.deepEqual(explain('nft', stderr), { kind: 'permission', meaning: 'no permission: run as root or with CAP_NET_ADMIN' });
  assert.equal(explain('/usr/sbin/nft', 'Error: Could not process rule: Operation not supported')?.kind, 'unsupported');
  assert.equal(explain('sh', stderr), undefined, 'only firewall tools are translated');
  assert.equal(isAbsent(new Error('No such file or directory')), false, 'isAbsent trusts only classified CommandErrors');
});
