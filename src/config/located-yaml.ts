/**
 * YAML (and JSON, which the YAML parser reads too) with positions, validated with zod:
 * every problem comes back as a `ConfigIssue` naming file:line:column. Shared by the
 * security policy (policy.ts) and the project file (project.ts).
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue, SourceLoc } from './io.js';

export type YamlPath = readonly (string | number)[];

/**
 * At most this many alias dereferences per YAML document: a real config uses a handful; a "billion laughs"
 * document (aliases of aliases, 9 levels of 9) would expand to millions of nodes.
 */
export const MAX_YAML_ALIASES = 100;

/** The `yaml` package's error for a document with more aliases than maxAliasCount. */
export function isAliasBomb(e: unknown): boolean {
  return e instanceof Error && /excessive alias count/i.test(e.message);
}

export const ALIAS_BOMB = `too many YAML alias expansions (more than ${MAX_YAML_ALIASES}): refused, a document like this expands exponentially ("billion laughs")`;

export function aliasBombMessage(file: string): string {
  return `${file}: ${ALIAS_BOMB}`;
}

const MAX_MESSAGE = 200;
const clip = (m: string) => (m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}… (${m.length - MAX_MESSAGE} more characters)` : m);

export interface LocatedYaml {
  file: string;
  doc: Document.Parsed;
  /** The document as plain data (an empty document is `{}`). */
  data: unknown;
  /** Where a value is; an absent one falls back to its closest existing parent. */
  place(path: YamlPath): SourceLoc;
  /** Where a mapping key is (the key itself, not its value); else as `place`. */
  keyPlace(path: YamlPath): SourceLoc;
}

/** Parse YAML/JSON text keeping positions; syntax errors (duplicate keys included) are issues. */
export function parseLocatedYaml(text: string, file: string): { yaml?: LocatedYaml; issues: ConfigIssue[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLoc => {
    const p = lc.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  if (doc.errors.length) {
    // The parser quotes the offending token whole: a binary or minified file would put kilobytes of it on the terminal.
    return { issues: doc.errors.map((e) => ({ ...at(e.pos[0]), message: clip(e.message.split('\n')[0]!) })) };
  }
  const place = (path: YamlPath): SourceLoc => {
    let node: unknown;
    for (let n = path.length; n >= 0 && !isNode(node); n--) node = doc.getIn(path.slice(0, n), true);
    return at(isNode(node) ? ((node as Node).range?.[0] ?? 0) : 0);
  };
  const keyPlace = (path: YamlPath): SourceLoc => {
    const parent: unknown = path.length ? doc.getIn(path.slice(0, -1), true) : undefined;
    const key = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
    }
    return place(path);
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (e) {
    if (isAliasBomb(e)) return { issues: [{ file, line: 1, column: 1, message: ALIAS_BOMB }] };
    throw e;
  }
  return { yaml: { file, doc, data, place, keyPlace }, issues: [] };
}

/**
 * zod issues → located issues `path: message`. `prefix` is where `data` sits in the
 * document (e.g. `['policy']` for a policy written inside another file). Unknown keys
 * point at each key; a bad record key at the key.
 */
export function locateIssues(yaml: LocatedYaml, error: z.ZodError, prefix: YamlPath = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const i of error.issues) {
    const path = [...prefix, ...(i.path as (string | number)[])];
    const name = path.length ? path.join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ ...yaml.keyPlace([...path, k]), message: `${name}: Unrecognized key: "${k}"` });
    } else if (i.code === 'invalid_key') {
      const why = i.issues.map((x) => x.message).join('; ') || i.message;
      out.push({ ...yaml.keyPlace(path), message: `${name}: invalid key: ${why}` });
    } else {
      out.push({ ...yaml.place(path), message: `${name}: ${i.message}` });
    }
  }
  return out;
}

/** `file:line:column: message`, one per line. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n');
}
