/**
 * Every relative link of README.md and docs/ points at a file that exists, and
 * every `#anchor` at a heading of that file (GitHub's slugs), so moving a section
 * between the README and docs/ cannot leave a dead link behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((f) => {
    const rel = path.join(dir, f);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return markdownFiles(rel);
    return f.endsWith('.md') ? [rel] : [];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, blanks to hyphens, duplicates numbered. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Links outside code: `[text](target)`. */
function links(text: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    if (fence) continue;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1]!);
  }
  return out;
}

test('relative links of README.md and docs/ resolve to files and headings', () => {
  const files = ['README.md', ...markdownFiles('docs')];
  const dead: string[] = [];
  let checked = 0;
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const link of links(text)) {
      if (/^[a-z]+:/i.test(link)) continue; // http(s), mailto
      checked++;
      const [target, anchor] = link.split('#') as [string, string | undefined];
      const resolved = target ? path.join(path.dirname(file), target) : file;
      if (!existsSync(path.join(ROOT, resolved))) {
        dead.push(`${file}: ${link} (no ${resolved})`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchors(readFileSync(path.join(ROOT, resolved), 'utf8')).has(anchor)) {
        dead.push(`${file}: ${link} (no heading #${anchor} in ${resolved})`);
      }
    }
  }
  assert.ok(checked > 20, `links were found (${checked})`);
  assert.deepEqual(dead, []);
});
