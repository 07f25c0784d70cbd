/**
 * The README's examples run as written (issue 12, item 6).
 *
 * Every ```console block of README.md and docs/*.md is an example:
 * - a `$ …` line is a command; the lines after it, up to the next `$` line,
 *   are its expected output;
 * - `$ echo $?` followed by a number is the expected exit code of the command
 *   before it. A command shown without `echo $?` must exit 0;
 * - a line that is only `…` elides any number of output lines (the expected
 *   lines between two elisions must appear consecutively, and without a
 *   leading or trailing `…` the output must start or end with them); a `…`
 *   inside a line stands for any text within that line (paths that depend on
 *   where the checkout is, owners that depend on who checked it out);
 * - a block that cannot run here (live broker, root, files from elsewhere) is
 *   preceded by `<!-- example-skip: REASON -->` and is reported as skipped
 *   with that reason. No console block is ignored silently, and no other kind
 *   of block may hold a `$ npx mqtt-warden` line.
 *
 * How a command runs: `bash -c COMMAND` as written (pipes and `echo … |`
 * included), bounded by a timeout that kills its whole process group. The
 * README's setup makes `npx mqtt-warden` run the package's bin from dist/;
 * here `npx` is a shell function that maps `npx mqtt-warden ARGS` to
 * `node --import tsx src/cli.ts ARGS` of this checkout, so the examples test
 * the source under test without a build (any other `npx` use fails). Each
 * block runs in a fresh scratch directory in which `test` links to this
 * repository's test/ directory: the fixture paths resolve as they do from the
 * checkout's root, and whatever an example writes (a wordlist) lands in the
 * scratch directory, never in the checkout. XDG_DATA_HOME points into the
 * scratch directory, so no advisory database of the user is read.
 *
 * What is normalised before comparing (both sides): the run time of the
 * summary line (`… passed in 0.06s`), the version after `mqtt-warden ` at the
 * start of a report, the snapshot date that `advisories update` gives a merged
 * copy, and the scratch directory's path. Nothing else: any other change of
 * the output fails the test until the README shows it.
 *
 * Besides, every command in a fenced block of README.md and docs/*.md calls
 * `npx mqtt-warden`, never a bare `mqtt-warden` (not on the PATH after the
 * README's setup: exit 127).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'src', 'cli.ts');
const TSX = import.meta.resolve('tsx');
const COMMAND_TIMEOUT_MS = 20_000;
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

const SKIP_MARKER = /^<!--\s*example-skip:\s*(.+?)\s*-->$/;
const ELISION = '…';

interface Fence {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  body: string[];
  /** The reason of an `<!-- example-skip: … -->` right before the fence. */
  skip?: string;
}

interface Command {
  /** 1-based line in the file. */
  line: number;
  text: string;
  expected: string[];
  exitCode?: number;
}

interface Example {
  fence: Fence;
  commands: Command[];
}

/** The fenced blocks of a Markdown file; a skip marker must sit right before a ```console fence. */
function fences(file: string, markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  let pendingSkip: { reason: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const marker = SKIP_MARKER.exec(text.trim());
    if (marker) {
      pendingSkip = { reason: marker[1]!, line: i + 1 };
      continue;
    }
    const open = /^```(\S*)\s*$/.exec(text);
    if (!open) {
      if (pendingSkip && text.trim() !== '') throw new Error(`${file}:${pendingSkip.line}: example-skip marker not followed by a \`\`\`console block`);
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: unclosed code fence`);
    const lang = open[1]!;
    if (pendingSkip && lang !== 'console') throw new Error(`${file}:${pendingSkip.line}: example-skip marker before a \`\`\`${lang} block, not a console block`);
    out.push({ file, line: start + 1, lang, body, ...(pendingSkip ? { skip: pendingSkip.reason } : {}) });
    pendingSkip = undefined;
  }
  if (pendingSkip) throw new Error(`${file}:${pendingSkip.line}: example-skip marker at the end of the file`);
  return out;
}

/** The commands of a console block with their expected output and exit codes. */
function parseConsole(fence: Fence): Example {
  const commands: Command[] = [];
  const where = (k: number) => `${fence.file}:${fence.line + 1 + k}`;
  for (let k = 0; k < fence.body.length; k++) {
    const text = fence.body[k]!;
    if (text.startsWith('$ ')) {
      const cmd = text.slice(2).trim();
      if (cmd === 'echo $?') {
        const prev = commands.at(-1);
        const code = fence.body[k + 1]?.trim() ?? '';
        if (!prev) throw new Error(`${where(k)}: \`echo $?\` before any command`);
        if (!/^\d+$/.test(code)) throw new Error(`${where(k)}: \`echo $?\` must be followed by the exit code`);
        if (prev.exitCode !== undefined) throw new Error(`${where(k)}: a second \`echo $?\` for one command`);
        prev.exitCode = Number(code);
        k++;
        const extra = fence.body[k + 1];
        if (extra !== undefined && !extra.startsWith('$ ')) throw new Error(`${where(k + 1)}: output after the exit code`);
        continue;
      }
      commands.push({ line: fence.line + 1 + k, text: cmd, expected: [] });
      continue;
    }
    const cur = commands.at(-1);
    if (!cur) throw new Error(`${where(k)}: output before the first \`$ \` command in a console block`);
    cur.expected.push(text);
  }
  if (commands.length === 0) throw new Error(`${fence.file}:${fence.line}: console block without a \`$ \` command`);
  return { fence, commands };
}

/** What legitimately varies between runs, and nothing else. */
function normalise(text: string, scratch: readonly string[] = []): string {
  let t = text;
  for (const dir of scratch) t = t.split(dir).join('<scratch>');
  return t
    .replace(/^(\d+ checks: .* passed) in \d+(?:\.\d+)?s$/gm, '$1 in <duration>')
    .replace(/^mqtt-warden \d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)? /gm, 'mqtt-warden <version> ')
    .replace(/^(mqtt-warden: \d+ record\(s\) merged into .* \(snapshot )\d{4}-\d{2}-\d{2},/gm, '$1<date>,');
}

function lineMatches(expected: string, actual: string): boolean {
  if (!expected.includes(ELISION)) return expected === actual;
  const pattern = expected.split(ELISION).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(actual);
}

/** Undefined when the output shows every expected line as the README says; else what is missing. */
function compareOutput(expectedLines: readonly string[], actualLines: readonly string[]): string | undefined {
  const expected = trimBlankEnd(expectedLines.map((l) => l.trimEnd()));
  const actual = trimBlankEnd(actualLines.map((l) => l.trimEnd()));
  if (expected.length === 0) return undefined;
  const isElision = (l: string) => l.trim() === ELISION;
  const segments: string[][] = [[]];
  for (const l of expected) {
    if (isElision(l)) segments.push([]);
    else segments.at(-1)!.push(l);
  }
  const anchoredStart = !isElision(expected[0]!);
  const anchoredEnd = !isElision(expected.at(-1)!);
  let pos = 0;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    if (seg.length === 0) continue;
    const fits = (k: number) => seg.every((l, i) => k + i < actual.length && lineMatches(l, actual[k + i]!));
    let found = -1;
    if (s === 0 && anchoredStart) found = fits(0) ? 0 : -1;
    else for (let k = pos; k + seg.length <= actual.length && found < 0; k++) if (fits(k)) found = k;
    if (found < 0) {
      const firstMissing = seg.find((l) => !actual.slice(pos).some((a) => lineMatches(l, a)));
      return [
        s === 0 && anchoredStart ? 'the output does not start with these lines:' : 'these lines do not appear together, in this order, in the output:',
        ...seg.map((l) => `  | ${l}`),
        ...(firstMissing !== undefined ? [`no output line matches: ${firstMissing}`] : []),
      ].join('\n');
    }
    pos = found + seg.length;
  }
  if (anchoredEnd && pos !== actual.length) return `the output goes on after the last expected line (no trailing ${ELISION} in the README):\n${actual.slice(pos).map((l) => `  | ${l}`).join('\n')}`;
  return undefined;
}

function trimBlankEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out.at(-1) === '') out.pop();
  return out;
}

/** A bare `mqtt-warden` in command position: not on the PATH after the README's setup. */
const BARE = /(?:^|[|;&(]\s*)mqtt-warden(?:\s|$)/;

/** The command lines of a fenced block: `$ ` lines, or every non-comment line of a shell block. */
function commandLines(fence: Fence): { line: number; text: string }[] {
  const shell = ['sh', 'bash', 'shell'].includes(fence.lang);
  return fence.body.flatMap((text, k) => {
    const line = fence.line + 1 + k;
    if (text.startsWith('$ ')) return [{ line, text: text.slice(2) }];
    if (shell && text.trim() !== '' && !text.trim().startsWith('#')) return [{ line, text }];
    return [];
  });
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

const PRELUDE = `exec 2>&1
npx() {
  if [ "\${1-}" = mqtt-warden ]; then shift; "$MW_NODE" --import "$MW_TSX" "$MW_CLI" "$@"
  else echo "readme-examples: only 'npx mqtt-warden' is mapped, not: npx $*"; return 127; fi
}
`;

function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${PRELUDE}${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, COMMAND_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, timedOut });
    });
  });
}

function scratchEnv(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_DATA_HOME: path.join(scratch, 'xdg'), MW_NODE: process.execPath, MW_TSX: TSX, MW_CLI: CLI };
  for (const k of ['FORCE_COLOR', 'MQTT_WARDEN_ADVISORIES', 'MQTT_WARDEN_USERNAME', 'MQTT_WARDEN_PASSWORD']) delete env[k];
  return env;
}

const allFences = DOCS.flatMap((file) => fences(file, readFileSync(path.join(ROOT, file), 'utf8')));
const examples = allFences.filter((f) => f.lang === 'console').map(parseConsole);

const scratchBase = mkdtempSync(path.join(os.tmpdir(), `mw-readme-examples-${process.pid}-`));
after(() => rmSync(scratchBase, { recursive: true, force: true }));

describe('command examples call npx mqtt-warden', () => {
  test('no bare mqtt-warden command in README.md and docs/*.md (exit 127 after the README setup)', () => {
    const bare = allFences.flatMap((f) => commandLines(f).filter((c) => BARE.test(c.text)).map((c) => `${f.file}:${c.line}: ${c.text}`));
    assert.deepEqual(bare, []);
  });

  test('every block with a `$ npx mqtt-warden` command is a ```console block, so it runs here', () => {
    const hidden = allFences
      .filter((f) => f.lang !== 'console')
      .flatMap((f) => f.body.flatMap((b, k) => (b.startsWith('$ ') && /\bnpx mqtt-warden\b/.test(b) ? [`${f.file}:${f.line + 1 + k} (\`\`\`${f.lang || 'no language'}): ${b}`] : [])));
    assert.deepEqual(hidden, []);
  });

  test('the README has runnable examples (the parser found them)', () => {
    const runnable = examples.filter((e) => e.fence.file === 'README.md' && e.fence.skip === undefined);
    assert.ok(runnable.length >= 5, `only ${runnable.length} runnable README examples found`);
  });
});

describe('the matcher', () => {
  test('elisions, in-line wildcards, anchoring, and the narrow normaliser', () => {
    const out = ['head', 'a', 'b', 'c', 'tail'];
    assert.equal(compareOutput(['head', '…', 'b', 'c', '…'], out), undefined);
    assert.match(compareOutput(['head', '…', 'a', 'c', '…'], out) ?? '', /do not appear together/);
    assert.match(compareOutput(['a', '…'], out) ?? '', /does not start with/);
    assert.match(compareOutput(['…', 'c'], out) ?? '', /goes on after/);
    assert.equal(compareOutput(['h…d', '…', 't…'], out), undefined);
    assert.match(compareOutput(['…', 'x…', '…'], out) ?? '', /no output line matches: x…/);
    assert.equal(
      normalise('mqtt-warden 0.1.0 lint of x\n20 checks: 9 failed, 10 passed in 0.02s'),
      'mqtt-warden <version> lint of x\n20 checks: 9 failed, 10 passed in <duration>',
    );
    // Real content stays: a changed count or date of a finding is not normalised away.
    assert.notEqual(normalise('20 checks: 9 failed, 10 passed in 0.02s'), normalise('20 checks: 8 failed, 10 passed in 0.02s'));
    assert.equal(normalise('certificate expired on 2021-01-01'), 'certificate expired on 2021-01-01');
  });
});

// Blocks are independent (each has its own scratch directory): a few run at once to keep the file well under a minute.
describe('README examples run as written', { concurrency: 3 }, () => {
  for (const example of examples) {
    const { fence, commands } = example;
    const name = `${fence.file}:${fence.line}: $ ${commands.find((c) => c.text.includes('mqtt-warden'))?.text ?? commands[0]!.text}`;
    if (fence.skip !== undefined) {
      test(name, { skip: fence.skip }, () => {});
      continue;
    }
    test(name, async () => {
      const scratch = mkdtempSync(path.join(scratchBase, 'block-'));
      mkdirSync(path.join(scratch, 'xdg'));
      symlinkSync(path.join(ROOT, 'test'), path.join(scratch, 'test'));
      const scratchPaths = [realpathSync(scratch), scratch];
      const env = scratchEnv(scratch);
      for (const cmd of commands) {
        const at = `${fence.file}:${cmd.line}: $ ${cmd.text}`;
        const r = await runCommand(cmd.text, scratch, env);
        assert.ok(!r.timedOut, `${at}: no result within ${COMMAND_TIMEOUT_MS} ms\n${r.output}`);
        assert.equal(r.signal, null, `${at}: ended by ${r.signal}\n${r.output}`);
        const wanted = cmd.exitCode ?? 0;
        assert.equal(r.code, wanted, `${at}: exit code ${r.code}, the ${cmd.exitCode === undefined ? 'README shows no `echo $?`, so it must be' : 'README shows'} ${wanted}\n${r.output}`);
        const actual = normalise(r.output, scratchPaths).split('\n');
        const expected = normalise(cmd.expected.join('\n'), scratchPaths).split('\n');
        const problem = compareOutput(expected, actual);
        assert.equal(problem, undefined, `${at}: ${problem}\n--- real output ---\n${r.output}`);
      }
    });
  }
});
