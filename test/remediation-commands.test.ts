/**
 * Remediations that name an mqtt-warden command must name a real one: every `mqtt-warden …`
 * code span is checked against the CLI definitions (sub-commands, option names, choices),
 * without running anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, type Option } from 'commander';
import { CATALOGUE } from '../src/checks/index.js';
import { COMMANDS } from '../src/cli/commands.js';

function program(): Command {
  const p = new Command('mqtt-warden');
  for (const register of COMMANDS) register(p, () => {});
  return p;
}

/** What is wrong with one command line ([] when it fits the CLI). */
function problems(root: Command, line: string): string[] {
  const tokens = line.split(/\s+/).slice(1);
  let cmd = root;
  for (let sub = cmd.commands.find((c) => c.name() === tokens[0]); sub; sub = cmd.commands.find((c) => c.name() === tokens[0])) {
    cmd = sub;
    tokens.shift();
  }
  if (cmd === root) return [`no such command: ${tokens[0]}`];
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c && c !== root; c = c.parent) chain.push(c);
  const find = (flag: string): Option | undefined => chain.flatMap((c) => c.options as Option[]).find((o) => o.long === flag || o.short === flag);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.startsWith('-') || t === '-') continue; // a lone - is an argument (stdin, or acl's anonymous user)
    const o = find(t);
    if (!o) {
      out.push(`${cmd.name()}: unknown option ${t}`);
      continue;
    }
    if (o.required || o.optional) {
      const value = tokens[++i];
      if (value === undefined) out.push(`${cmd.name()}: ${t} needs a value`);
      else if (o.argChoices && !o.argChoices.includes(value)) out.push(`${cmd.name()}: ${t} ${value} is not one of ${o.argChoices.join(', ')}`);
    }
  }
  return out;
}

const lines = CATALOGUE.flatMap(({ meta }) => [...meta.remediation.matchAll(/`(mqtt-warden [^`]+)`/g)].map((m) => ({ id: meta.id, line: m[1]! })));

test('remediations name mqtt-warden commands at all (guard, ports, passwd, lint)', () => {
  for (const cmd of ['guard', 'ports', 'passwd', 'lint']) assert.ok(lines.some((l) => l.line.startsWith(`mqtt-warden ${cmd} `)), cmd);
});

test('the checker itself refuses what the CLI refuses', () => {
  const p = program();
  assert.deepEqual(problems(p, 'mqtt-warden guard --log x --log-format emqx'), []);
  assert.deepEqual(problems(p, 'mqtt-warden guard --log-format json'), ['guard: --log-format json is not one of mosquitto, emqx, generic']);
  assert.deepEqual(problems(p, 'mqtt-warden passwd hash U --fle x'), ['hash: unknown option --fle']);
  assert.deepEqual(problems(p, 'mqtt-warden firewall --apply'), ['no such command: firewall']);
});

const root = program();
const ports = root.commands.find((c) => c.name() === 'ports')!;
// `ports --apply --dry-run` (preview) comes with the change that makes --apply apply; until that
// change is in this tree, the lines that use it are a known gap, reported as TODO (not hidden).
const portsDryRun = (ports.options as Option[]).some((o) => o.long === '--dry-run');

for (const { id, line } of lines) {
  const todo = !portsDryRun && line.startsWith('mqtt-warden ports ') && / --dry-run\b/.test(line) ? 'ports --dry-run is not in this tree yet (the --apply semantics change)' : undefined;
  test(`${id}: ${line}`, { todo }, () => {
    assert.deepEqual(problems(root, line), []);
  });
}
