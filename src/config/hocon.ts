/**
 * HOCON (Human-Optimized Config Object Notation, the format of EMQX 5 configs)
 * with a source position on every value.
 *
 * Hand-written on purpose: the npm HOCON parsers (hocon-parser 1.0.1, unmaintained;
 * @pushcorn/hocon-parser, async and position-less) return plain values, and a linter
 * needs file:line:column for every value and every error. Follows the HOCON spec
 * (github.com/lightbend/config HOCON.md): objects and arrays, optional root braces,
 * `=`/`:`/`+=`, dotted and quoted keys, object merging, newline/comma separators,
 * `#` and `//` comments, quoted, unquoted and triple-quoted strings, value
 * concatenation (strings, arrays, objects), `${path}` and `${?path}` substitutions
 * (config first, then the environment; self-references as in `a = ${a} [x]`),
 * `include "f"`, `include file("f")`, `include required(file("f"))`.
 * Not supported (reported as issues): `include url(...)`/`classpath(...)`.
 * Durations and sizes (`15s`, `1MB`) stay strings, as in the spec.
 *
 * Bounded: nesting depth, include depth, and the size of substituted values are
 * capped, so hostile input gives located issues, never a hang or a stack overflow.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { errCode, fsIO, isMissing, type ConfigIO, type ConfigIssue, type SourceLoc } from './io.js';
import { READ_LIMITS } from '../io/read.js';

export type HScalar = string | number | boolean | null;

export type HNode =
  | { t: 'obj'; fields: Map<string, HNode>; loc: SourceLoc }
  | { t: 'arr'; items: HNode[]; loc: SourceLoc }
  | { t: 'val'; value: HScalar; loc: SourceLoc; /** whitespace between concatenated values */ ws?: true }
  // Unresolved until resolveHocon():
  | { t: 'subst'; path: string[]; optional: boolean; loc: SourceLoc }
  | { t: 'concat'; parts: HNode[]; loc: SourceLoc };

export type HObject = Extract<HNode, { t: 'obj' }>;

export interface HoconOptions {
  io?: ConfigIO;
  /** Environment for substitutions that the config does not define. */
  env?: Record<string, string>;
  /** Resolve substitutions (default true). Layered configs resolve once, after merging. */
  resolve?: boolean;
}

export interface HoconResult {
  root: HObject;
  issues: ConfigIssue[];
  /** Files read, the top-level one first. */
  files: string[];
}

/** The largest config text parsed (the reader's limit for config files; real configs are kilobytes). */
const MAX_CONFIG_CHARS = READ_LIMITS.config.maxBytes;
const MAX_DEPTH = 128;
const MAX_INCLUDE_DEPTH = 16;
/** Nodes created by substitution copies, all together: stops "billion laughs" configs. */
const MAX_RESOLVED_NODES = 200_000;
const MAX_STRING = 1 << 20;
/** Path prefix inside arrays: self-references cannot point there. */
const IN_ARRAY = '\u0000[]';

class HoconSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: SourceLoc,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- tokens

type Tok =
  | { k: 'punct'; v: '{' | '}' | '[' | ']' | ',' | ':' | '=' | '+='; loc: SourceLoc; ws: string }
  | { k: 'nl'; loc: SourceLoc; ws: string }
  | { k: 'eof'; loc: SourceLoc; ws: string }
  | { k: 'unquoted'; v: string; loc: SourceLoc; ws: string }
  | { k: 'quoted'; v: string; loc: SourceLoc; ws: string }
  | { k: 'subst'; path: string[]; optional: boolean; loc: SourceLoc; ws: string };

/** Characters that end an unquoted string (HOCON spec, "Unquoted strings"). */
/** `required(`, `file(`, `required(file(` … before an include's file name. */
const INCLUDE_OPEN = /^(required\()?((file|url|classpath)\()?$/;
const FORBIDDEN = new Set([...'$"{}[]:=,+#`^?!@*&\\']);
/** Whitespace other than the newline (HOCON: Unicode space separators, BOM, tabs). ASCII fast path first. */
const isWs = (c: string) => {
  const code = c.charCodeAt(0);
  if (code > 32 && code < 127) return false;
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF' || (c !== '\n' && /\s/.test(c));
};

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The tokenizer, one token per call (the parser pulls them: no token array is ever built, so
 * memory is the tree and the text, not a token list many times the input). Strings are slices of
 * the text, never built character by character; positions come from the start of the line.
 */
function makeLexer(text: string, file: string): () => Tok {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let ws = '';
  const n = text.length;
  const loc = (): SourceLoc => ({ file, line, column: i - lineStart + 1 });
  type NoWs<T> = T extends unknown ? Omit<T, 'ws'> : never;
  const tok = (t: NoWs<Tok>): Tok => {
    const out = t as Tok;
    out.ws = ws;
    ws = '';
    return out;
  };
  return (): Tok => {
    while (i < n) {
      const c = text[i]!;
      const start = loc();
      if (c === '\n') {
        i++;
        line++;
        lineStart = i;
        return tok({ k: 'nl', loc: start });
      }
      if (isWs(c)) {
        let j = i + 1;
        while (j < n && text[j] !== '\n' && isWs(text[j]!)) j++;
        ws += text.slice(i, j);
        i = j;
        continue;
      }
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
        ws = '';
        continue;
      }
      if (c === '{' || c === '}' || c === '[' || c === ']' || c === ',' || c === ':' || c === '=') {
        i++;
        return tok({ k: 'punct', v: c as '{', loc: start });
      }
      if (c === '+' && text[i + 1] === '=') {
        i += 2;
        return tok({ k: 'punct', v: '+=', loc: start });
      }
      if (c === '"') {
        if (text.startsWith('"""', i)) {
          const end = text.indexOf('"""', i + 3);
          if (end < 0) throw new HoconSyntaxError('unterminated triple-quoted string', start);
          // Extra quotes right before the closing """ belong to the string (spec).
          let stop = end;
          while (text[stop + 3] === '"') stop++;
          const v = text.slice(i + 3, stop);
          for (let nl = v.indexOf('\n'); nl >= 0; nl = v.indexOf('\n', nl + 1)) {
            line++;
            lineStart = i + 3 + nl + 1;
          }
          i = stop + 3;
          return tok({ k: 'quoted', v, loc: start });
        }
        i++;
        const pieces: string[] = [];
        let from = i;
        for (;;) {
          if (i >= n || text[i] === '\n') throw new HoconSyntaxError('unterminated quoted string', start);
          const d = text[i]!;
          if (d === '"') {
            pieces.push(text.slice(from, i));
            i++;
            break;
          }
          if (d === '\\') {
            pieces.push(text.slice(from, i));
            const e = text[i + 1];
            if (e !== undefined && ESCAPES[e] !== undefined) {
              pieces.push(ESCAPES[e]!);
              i += 2;
            } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
              pieces.push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)));
              i += 6;
            } else {
              throw new HoconSyntaxError(`bad escape "\\${e ?? ''}" in quoted string`, loc());
            }
            from = i;
            continue;
          }
          i++;
        }
        return tok({ k: 'quoted', v: pieces.length === 1 ? pieces[0]! : pieces.join(''), loc: start });
      }
      if (c === '$') {
        if (text[i + 1] !== '{') throw new HoconSyntaxError('"$" must start a substitution "${...}" (quote the string otherwise)', start);
        i += 2;
        const optional = text[i] === '?';
        if (optional) i++;
        const path: string[] = [];
        let cur = '';
        let any = false;
        for (;;) {
          if (i >= n || text[i] === '\n') throw new HoconSyntaxError('unterminated substitution "${"', start);
          const d = text[i]!;
          if (d === '}') {
            i++;
            break;
          }
          if (d === '"') {
            const end = text.indexOf('"', i + 1);
            if (end < 0 || text.slice(i, end).includes('\n')) throw new HoconSyntaxError('unterminated quoted string in substitution', loc());
            cur += text.slice(i + 1, end);
            any = true;
            i = end + 1;
            continue;
          }
          if (d === '.') {
            if (!any) throw new HoconSyntaxError('empty path element in substitution', loc());
            path.push(cur);
            cur = '';
            any = false;
            i++;
            continue;
          }
          if (isWs(d) || FORBIDDEN.has(d)) throw new HoconSyntaxError(`unexpected "${d}" in substitution path`, loc());
          let j = i + 1;
          while (j < n && text[j] !== '}' && text[j] !== '.' && text[j] !== '"' && text[j] !== '\n' && !isWs(text[j]!) && !FORBIDDEN.has(text[j]!)) j++;
          cur += text.slice(i, j);
          any = true;
          i = j;
        }
        if (!any) throw new HoconSyntaxError('empty substitution path', start);
        path.push(cur);
        return tok({ k: 'subst', path, optional, loc: start });
      }
      // Unquoted string: up to a forbidden character, whitespace, or a "//" comment.
      let j = i;
      while (j < n) {
        const d = text[j]!;
        if (d === '\n' || isWs(d) || FORBIDDEN.has(d) || (d === '/' && text[j + 1] === '/')) break;
        j++;
      }
      if (j === i) throw new HoconSyntaxError(`unexpected character "${c}"`, start);
      const v = text.slice(i, j);
      i = j;
      return tok({ k: 'unquoted', v, loc: start });
    }
    return tok({ k: 'eof', loc: loc() });
  };
}

/** Every token of a text (tests and small values; the parser pulls tokens one by one). */
export function tokenize(text: string, file: string): Tok[] {
  const next = makeLexer(text, file);
  const toks: Tok[] = [];
  for (let t = next(); ; t = next()) {
    toks.push(t);
    if (t.k === 'eof') return toks;
  }
}

// ---------------------------------------------------------------- parser

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function scalarOf(raw: string, loc: SourceLoc): HNode {
  if (raw === 'true') return { t: 'val', value: true, loc };
  if (raw === 'false') return { t: 'val', value: false, loc };
  if (raw === 'null') return { t: 'val', value: null, loc };
  if (NUMBER.test(raw)) return { t: 'val', value: Number(raw), loc };
  return { t: 'val', value: raw, loc };
}

interface Ctx {
  io: ConfigIO | undefined;
  issues: ConfigIssue[];
  files: string[];
  includeStack: string[];
}

class Parser {
  /** Lookahead: the current token and at most one more. */
  private readonly buf: Tok[] = [];
  /** Substitution tokens consumed so far: values without any skip the self-reference pass. */
  private substSeen = 0;
  constructor(
    private readonly source: () => Tok,
    private readonly file: string,
    private readonly ctx: Ctx,
  ) {}

  private la(k: number): Tok {
    while (this.buf.length <= k) this.buf.push(this.source());
    return this.buf[k]!;
  }
  private get tok(): Tok {
    return this.la(0);
  }
  /** The current token, without the narrowing TypeScript keeps on the `tok` getter. */
  private peek(): Tok {
    return this.la(0);
  }
  private next(): Tok {
    const t = this.la(0);
    if (t.k !== 'eof') this.buf.shift();
    return t;
  }
  private skipNl() {
    while (this.tok.k === 'nl') this.next();
  }
  private isPunct(v: string, t = this.tok) {
    return t.k === 'punct' && t.v === v;
  }

  parseRoot(): HObject {
    this.skipNl();
    const loc = this.tok.loc;
    let root: HObject;
    if (this.isPunct('{')) {
      this.next();
      root = this.objectBody('}', loc, 1, []);
    } else if (this.isPunct('[')) {
      throw new HoconSyntaxError('the root of a config must be an object, not an array', loc);
    } else {
      root = this.objectBody('eof', loc, 1, []);
    }
    this.skipNl();
    if (this.tok.k !== 'eof') throw new HoconSyntaxError(`unexpected ${describe(this.tok)} after the root object`, this.tok.loc);
    return root;
  }

  private objectBody(end: '}' | 'eof', loc: SourceLoc, depth: number, prefix: string[]): HObject {
    if (depth > MAX_DEPTH) throw new HoconSyntaxError(`nesting deeper than ${MAX_DEPTH}`, loc);
    const obj: HObject = { t: 'obj', fields: new Map(), loc };
    for (;;) {
      this.skipNl();
      const t = this.tok;
      if (end === '}' && this.isPunct('}')) {
        this.next();
        return obj;
      }
      if (t.k === 'eof') {
        if (end === 'eof') return obj;
        throw new HoconSyntaxError('unterminated object: missing "}"', loc);
      }
      if (t.k === 'unquoted' && t.v === 'include' && this.isInclude()) {
        this.next();
        this.include(obj, prefix);
      } else {
        this.field(obj, depth, prefix);
      }
      // Separator: newline, comma, or the end.
      const s = this.tok;
      if (s.k === 'punct' && s.v === ',') {
        this.next();
        this.skipNl();
        if (this.isPunct(',')) throw new HoconSyntaxError('two commas in a row', this.tok.loc);
        continue;
      }
      if (s.k === 'nl' || s.k === 'eof' || (s.k === 'punct' && s.v === '}')) continue;
      throw new HoconSyntaxError(`expected a newline, "," or "}" after a field, found ${describe(s)}`, s.loc);
    }
  }

  /** `include` is a keyword only when followed by a quoted string or file(/required(/url(/classpath(. */
  private isInclude(): boolean {
    const n = this.la(1);
    return ((n.k === 'quoted' && n.ws !== '') || (n.k === 'unquoted' && INCLUDE_OPEN.test(n.v)));
  }

  private include(target: HObject, prefix: string[]) {
    const start = this.tok.loc;
    let t = this.next();
    let required = false;
    let kind = 'file';
    let parens = 0;
    if (t.k === 'unquoted') {
      const m = INCLUDE_OPEN.exec(t.v)!;
      required = Boolean(m[1]);
      kind = m[3] ?? 'file';
      parens = (m[1] ? 1 : 0) + (m[2] ? 1 : 0);
      t = this.next();
    }
    if (t.k !== 'quoted') throw new HoconSyntaxError('include needs a quoted file name', t.loc);
    const name = t.v;
    let closing = '';
    while (closing.length < parens && this.tok.k === 'unquoted' && /^\)+$/.test(this.tok.v)) closing += (this.next() as { v: string }).v;
    if (closing.length !== parens) throw new HoconSyntaxError(`expected ${')'.repeat(parens)} to close the include`, this.tok.loc);
    if (kind !== 'file') {
      this.ctx.issues.push({ ...start, message: `include ${kind}(...) is not supported by the linter: "${name}" was not read`, incomplete: true });
      return;
    }
    const path = isAbsolute(name) ? name : join(dirname(this.file), name);
    if (this.ctx.includeStack.includes(path)) {
      this.ctx.issues.push({ ...start, message: `include cycle: ${path} includes itself` });
      return;
    }
    if (this.ctx.includeStack.length >= MAX_INCLUDE_DEPTH) {
      this.ctx.issues.push({ ...start, message: `includes nested deeper than ${MAX_INCLUDE_DEPTH}`, incomplete: true });
      return;
    }
    if (!this.ctx.io) {
      this.ctx.issues.push({ ...start, message: `include "${name}" is not allowed here (no file access)` });
      return;
    }
    let text: string;
    try {
      text = this.ctx.io.readFile(path);
    } catch (e) {
      // Missing includes are silently ignored unless required (spec); a linter still says so.
      if (required || !isMissing(e)) this.ctx.issues.push({ ...start, message: `cannot read included file ${path}: ${errCode(e)}`, incomplete: true });
      return;
    }
    const sub = parseFile(text, path, this.ctx);
    mergeObject(target, sub, prefix);
  }

  private keyPath(): { path: string[]; loc: SourceLoc } {
    const loc = this.tok.loc;
    const path: string[] = [];
    let cur = '';
    let started = false;
    let first = true;
    for (;;) {
      const t = this.tok;
      if (t.k !== 'unquoted' && t.k !== 'quoted') break;
      if (!first && t.ws) cur += t.ws;
      first = false;
      if (t.k === 'quoted') {
        cur += t.v;
        started = true;
      } else {
        const parts = t.v.split('.');
        for (let j = 0; j < parts.length; j++) {
          if (j > 0) {
            if (!started && !cur) throw new HoconSyntaxError(`empty key element in "${t.v}"`, t.loc);
            path.push(cur);
            cur = '';
            started = false;
          }
          cur += parts[j];
          if (parts[j]) started = true;
        }
      }
      this.next();
    }
    if (!started && !cur) throw new HoconSyntaxError(path.length ? 'a key must not end with "."' : `expected a key, found ${describe(this.tok)}`, this.tok.loc);
    path.push(cur);
    return { path, loc };
  }

  private field(obj: HObject, depth: number, prefix: string[]) {
    const { path, loc } = this.keyPath();
    // A dotted key nests as deep as braces do (and everything after parsing recurses on the tree).
    if (prefix.length + path.length > MAX_DEPTH) throw new HoconSyntaxError(`nesting deeper than ${MAX_DEPTH} (a key of ${path.length} elements)`, loc);
    const t = this.tok;
    let op: '=' | '+=' = '=';
    if (t.k === 'punct' && (t.v === '=' || t.v === ':' || t.v === '+=')) {
      this.next();
      op = t.v === '+=' ? '+=' : '=';
    } else if (!(t.k === 'punct' && t.v === '{')) {
      throw new HoconSyntaxError(`expected "=", ":" or "{" after key "${path.join('.')}", found ${describe(t)}`, t.loc);
    }
    const before = this.substSeen;
    const value = this.value(depth, [...prefix, ...path]);
    if (op === '+=') appendAt(obj, path, value, loc);
    else setAt(obj, path, value, loc, prefix, this.substSeen !== before);
  }

  /** One value: a concatenation of simple values on the same line. */
  private value(depth: number, prefix: string[]): HNode {
    if (depth > MAX_DEPTH) throw new HoconSyntaxError(`nesting deeper than ${MAX_DEPTH}`, this.tok.loc);
    const parts: HNode[] = [];
    for (;;) {
      const t = this.tok;
      let node: HNode | undefined;
      if (t.k === 'punct' && t.v === '{') {
        this.next();
        node = this.objectBody('}', t.loc, depth + 1, prefix);
      } else if (t.k === 'punct' && t.v === '[') {
        this.next();
        node = this.array(t.loc, depth + 1);
      } else if (t.k === 'quoted') {
        this.next();
        node = { t: 'val', value: t.v, loc: t.loc };
      } else if (t.k === 'unquoted') {
        this.next();
        node = { t: 'val', value: t.v, loc: t.loc };
        (node as { raw?: true }).raw = true;
      } else if (t.k === 'subst') {
        this.next();
        this.substSeen++;
        node = { t: 'subst', path: t.path, optional: t.optional, loc: t.loc };
      } else break;
      if (parts.length && t.ws) parts.push({ t: 'val', value: t.ws, loc: t.loc, ws: true });
      parts.push(node);
    }
    if (!parts.length) throw new HoconSyntaxError(`expected a value, found ${describe(this.tok)}`, this.tok.loc);
    if (parts.length === 1) {
      const only = parts[0]!;
      if (only.t === 'val' && (only as { raw?: true }).raw) return scalarOf(only.value as string, only.loc);
      return only;
    }
    // Static concatenations of strings fold now; others wait for substitutions.
    if (parts.every((x) => x.t === 'val')) return { t: 'val', value: parts.map((x) => scalarText(x as Extract<HNode, { t: 'val' }>)).join(''), loc: parts[0]!.loc };
    return { t: 'concat', parts, loc: parts[0]!.loc };
  }

  private array(loc: SourceLoc, depth: number): HNode {
    const arr: Extract<HNode, { t: 'arr' }> = { t: 'arr', items: [], loc };
    for (;;) {
      this.skipNl();
      if (this.isPunct(']')) {
        this.next();
        return arr;
      }
      if (this.tok.k === 'eof') throw new HoconSyntaxError('unterminated array: missing "]"', loc);
      arr.items.push(this.value(depth, [IN_ARRAY]));
      const s = this.peek();
      if (s.k === 'punct' && s.v === ',') {
        this.next();
        this.skipNl();
        if (this.isPunct(',')) throw new HoconSyntaxError('two commas in a row', this.tok.loc);
        continue;
      }
      if (s.k === 'nl' || (s.k === 'punct' && s.v === ']')) continue;
      if (s.k === 'eof') throw new HoconSyntaxError('unterminated array: missing "]"', loc);
      throw new HoconSyntaxError(`expected a newline, "," or "]" in an array, found ${describe(s)}`, s.loc);
    }
  }
}

function scalarText(v: Extract<HNode, { t: 'val' }>): string {
  return v.value === null ? 'null' : String(v.value);
}

function describe(t: Tok): string {
  switch (t.k) {
    case 'eof':
      return 'the end of the file';
    case 'nl':
      return 'a newline';
    case 'punct':
      return `"${t.v}"`;
    case 'subst':
      return `substitution \${${t.path.join('.')}}`;
    default:
      return `"${t.v.slice(0, 40)}"`;
  }
}

// ---------------------------------------------------------------- merging

function clone(n: HNode): HNode {
  switch (n.t) {
    case 'obj':
      return { t: 'obj', loc: n.loc, fields: new Map([...n.fields].map(([k, v]) => [k, clone(v)])) };
    case 'arr':
      return { t: 'arr', loc: n.loc, items: n.items.map(clone) };
    case 'concat':
      return { t: 'concat', loc: n.loc, parts: n.parts.map(clone) };
    default:
      return { ...n };
  }
}

/** Replace substitutions of exactly `path` (self-references) by the previous value. */
function replaceSelfRefs(n: HNode, path: string[], prev: HNode | undefined): HNode | undefined {
  const same = (p: string[]) => p.length === path.length && p.every((x, i) => x === path[i]);
  switch (n.t) {
    case 'subst':
      if (!same(n.path)) return n;
      if (prev) return clone(prev);
      return n.optional ? undefined : n; // left for the environment or a located error
    case 'concat': {
      const parts = n.parts.map((p) => replaceSelfRefs(p, path, prev)).filter((p): p is HNode => p !== undefined);
      return parts.length ? { ...n, parts } : undefined;
    }
    case 'arr':
      return { ...n, items: n.items.map((x) => replaceSelfRefs(x, path, prev)).filter((p): p is HNode => p !== undefined) };
    case 'obj':
      // Inside an object, a self-reference still means the old value of the same path.
      return { ...n, fields: new Map([...n.fields].map(([k, v]) => [k, replaceSelfRefs(v, path, prev)] as const).filter((e): e is [string, HNode] => e[1] !== undefined)) };
    default:
      return n;
  }
}

function getAt(obj: HObject, path: string[]): HNode | undefined {
  let cur: HNode | undefined = obj;
  for (const k of path) {
    if (!cur || cur.t !== 'obj') return undefined;
    cur = cur.fields.get(k);
  }
  return cur;
}

/** The object at `path` (created as needed; a non-object there is replaced). */
function objectAt(obj: HObject, path: string[], loc: SourceLoc): HObject {
  let cur = obj;
  for (const k of path) {
    let nxt = cur.fields.get(k);
    if (!nxt || nxt.t !== 'obj') {
      nxt = { t: 'obj', fields: new Map(), loc };
      cur.fields.set(k, nxt);
    }
    cur = nxt;
  }
  return cur;
}

/** `path = value` inside `obj` (paths relative to the root of `fullPrefix`). */
function setAt(obj: HObject, path: string[], value: HNode, loc: SourceLoc, fullPrefix: string[] = [], hasSubst = true) {
  const parent = objectAt(obj, path.slice(0, -1), loc);
  const key = path[path.length - 1]!;
  const prev = parent.fields.get(key);
  const resolved = hasSubst ? replaceSelfRefs(value, [...fullPrefix, ...path], prev) : value;
  if (!resolved) return;
  if (resolved.t === 'obj' && prev?.t === 'obj') mergeObject(prev, resolved, [...fullPrefix, ...path], hasSubst);
  else parent.fields.set(key, resolved);
}

/** `path += value`, i.e. `path = ${?path} [value]`. */
function appendAt(obj: HObject, path: string[], value: HNode, loc: SourceLoc) {
  const parent = objectAt(obj, path.slice(0, -1), loc);
  const key = path[path.length - 1]!;
  const prev = parent.fields.get(key);
  const item: HNode = { t: 'arr', items: [value], loc: value.loc };
  if (!prev) parent.fields.set(key, item);
  else if (prev.t === 'arr') parent.fields.set(key, { ...prev, items: [...prev.items, value] });
  else parent.fields.set(key, { t: 'concat', parts: [prev, item], loc: prev.loc });
}

/** Merge `src` into `dst`: objects merge recursively, anything else replaces. */
export function mergeObject(dst: HObject, src: HObject, prefix: string[], selfRefs = true) {
  for (const [k, v] of src.fields) {
    const prev = dst.fields.get(k);
    const path = [...prefix, k];
    const value = selfRefs ? replaceSelfRefs(v, path, prev) : v;
    if (!value) continue;
    if (value.t === 'obj' && prev?.t === 'obj') mergeObject(prev, value, path, selfRefs);
    else dst.fields.set(k, value);
  }
}

// ---------------------------------------------------------------- resolution

/** Resolve every substitution and concatenation in place; unresolvable ones become issues. */
export function resolveHocon(root: HObject, env: Record<string, string>, issues: ConfigIssue[]): HObject {
  let budget = MAX_RESOLVED_NODES;
  const resolving = new Set<HNode>();
  const done = new WeakSet<HNode>();

  const lookup = (path: string[], loc: SourceLoc, optional: boolean): HNode | undefined => {
    let parent: HObject | undefined;
    let cur: HNode | undefined = root;
    for (const k of path) {
      if (cur.t === 'subst' || cur.t === 'concat') cur = resolve(cur);
      if (cur.t !== 'obj') {
        cur = undefined;
        break;
      }
      parent = cur;
      cur = cur.fields.get(k);
      if (!cur) break;
    }
    if (cur) {
      const r = resolve(cur);
      if (parent && r !== cur) parent.fields.set(path[path.length - 1]!, r);
      if (!(r.t === 'val' && r.ws && r.value === null)) {
        budget -= size(r);
        if (budget < 0) throw new HoconSyntaxError('substitutions expand to too large a config', loc);
        return clone(r);
      }
    }
    const name = path.join('.');
    if (Object.prototype.hasOwnProperty.call(env, name)) return { t: 'val', value: env[name]!, loc };
    if (!optional) issues.push({ ...loc, message: `unresolved substitution \${${name}}: not set in the config nor in the environment` });
    return undefined;
  };

  const resolve = (n: HNode): HNode => {
    if (done.has(n)) return n;
    if (resolving.has(n)) throw new HoconSyntaxError('substitution cycle', n.loc);
    resolving.add(n);
    try {
      let out: HNode;
      switch (n.t) {
        case 'subst':
          out = lookup(n.path, n.loc, n.optional) ?? { t: 'val', value: null, loc: n.loc, ws: true };
          break;
        case 'concat':
          out = concat(
            n.parts.map((p) => resolve(p)),
            n.loc,
          );
          break;
        case 'arr':
          n.items = n.items.map((x) => resolve(x)).filter((x) => !(x.t === 'val' && x.ws && x.value === null));
          out = n;
          break;
        case 'obj':
          for (const [k, v] of n.fields) {
            const r = resolve(v);
            if (r.t === 'val' && r.ws && r.value === null) n.fields.delete(k); // ${?missing}
            else n.fields.set(k, r);
          }
          out = n;
          break;
        default:
          out = n;
      }
      done.add(out);
      return out;
    } finally {
      resolving.delete(n);
    }
  };

  const concat = (parts: HNode[], loc: SourceLoc): HNode => {
    const real = parts.filter((p) => !(p.t === 'val' && p.ws && p.value === null));
    const solid = real.filter((p) => !(p.t === 'val' && p.ws));
    if (!solid.length) return { t: 'val', value: null, loc, ws: true };
    if (solid.every((p) => p.t === 'arr')) {
      return { t: 'arr', loc, items: solid.flatMap((p) => (p as Extract<HNode, { t: 'arr' }>).items) };
    }
    if (solid.every((p) => p.t === 'obj')) {
      const out: HObject = { t: 'obj', loc, fields: new Map() };
      for (const p of solid) mergeObject(out, p as HObject, []);
      return out;
    }
    if (real.every((p) => p.t === 'val')) {
      const s = real.map((p) => scalarText(p as Extract<HNode, { t: 'val' }>)).join('');
      if (s.length > MAX_STRING) throw new HoconSyntaxError('substitutions expand to too long a string', loc);
      return { t: 'val', value: s, loc };
    }
    issues.push({ ...loc, message: 'cannot concatenate values of different kinds (string, array, object)' });
    return solid[solid.length - 1]!;
  };

  try {
    resolve(root);
  } catch (e) {
    if (!(e instanceof HoconSyntaxError)) throw e;
    issues.push({ ...e.loc, message: e.message });
    scrub(root);
  }
  return root;
}

/** After a failed resolution: drop what is still unresolved so consumers only see plain values. */
function scrub(n: HNode): void {
  if (n.t === 'obj') {
    for (const [k, v] of n.fields) {
      if (v.t === 'subst' || v.t === 'concat') n.fields.delete(k);
      else scrub(v);
    }
  } else if (n.t === 'arr') {
    n.items = n.items.filter((x) => x.t !== 'subst' && x.t !== 'concat');
    n.items.forEach(scrub);
  }
}

function size(n: HNode): number {
  if (n.t === 'obj') return 1 + [...n.fields.values()].reduce((a, v) => a + size(v), 0);
  if (n.t === 'arr') return 1 + n.items.reduce((a, v) => a + size(v), 0);
  if (n.t === 'concat') return 1 + n.parts.reduce((a, v) => a + size(v), 0);
  return 1;
}

// ---------------------------------------------------------------- API

function parseFile(text: string, file: string, ctx: Ctx): HObject {
  ctx.files.push(file);
  if (text.length > MAX_CONFIG_CHARS) {
    ctx.issues.push({ file, line: 1, column: 1, message: `${file} is over the ${MAX_CONFIG_CHARS / (1024 * 1024)} MiB limit for a config file: not parsed`, incomplete: true });
    return { t: 'obj', fields: new Map(), loc: { file, line: 1, column: 1 } };
  }
  ctx.includeStack.push(file);
  try {
    return new Parser(makeLexer(text, file), file, ctx).parseRoot();
  } catch (e) {
    if (!(e instanceof HoconSyntaxError)) throw e;
    // A syntax error drops the whole file: nothing of it is judged.
    ctx.issues.push({ ...e.loc, message: `${e.message} (the file was not parsed)`, incomplete: true });
    return { t: 'obj', fields: new Map(), loc: { file, line: 1, column: 1 } };
  } finally {
    ctx.includeStack.pop();
  }
}

/**
 * Parse HOCON text. A syntax error is one located issue and an empty (partial
 * configs are not trusted) root for that file; never a throw for bad content.
 */
export function parseHocon(text: string, file: string, opts: HoconOptions = {}): HoconResult {
  const ctx: Ctx = { io: opts.io ?? fsIO(), issues: [], files: [], includeStack: [] };
  const root = parseFile(text, file, ctx);
  if (opts.resolve !== false) resolveHocon(root, opts.env ?? {}, ctx.issues);
  return { root, issues: ctx.issues, files: ctx.files };
}

/** Parse a single HOCON value (e.g. an environment override): `[a, b]`, `"x"`, `1MB`. */
export function parseHoconValue(text: string, file: string, line = 1, column = 1): { value?: HNode; issue?: ConfigIssue } {
  try {
    const toks = tokenize(text, file).map((t) => ({ ...t, loc: { file, line: line + t.loc.line - 1, column: t.loc.line === 1 ? column + t.loc.column - 1 : t.loc.column } }));
    const all = [{ k: 'unquoted', v: 'v', loc: { file, line, column }, ws: '' }, { k: 'punct', v: '=', loc: { file, line, column }, ws: '' }, ...toks] as Tok[];
    let at = 0;
    const p = new Parser(() => all[Math.min(at++, all.length - 1)]!, file, {
      io: undefined,
      issues: [],
      files: [],
      includeStack: [],
    });
    const root = p.parseRoot();
    return { value: root.fields.get('v')! };
  } catch (e) {
    if (!(e instanceof HoconSyntaxError)) throw e;
    return { issue: { ...e.loc, message: e.message } };
  }
}

/** The node at a path ("a.b.c" or ["a", "b.c"]). */
export function hoconGet(root: HObject, path: string | string[]): HNode | undefined {
  return getAt(root, typeof path === 'string' ? path.split('.') : path);
}

/** Plain JS value of a resolved node (objects as plain objects). */
export function toPlain(n: HNode): unknown {
  switch (n.t) {
    case 'obj':
      return Object.fromEntries([...n.fields].map(([k, v]) => [k, toPlain(v)]));
    case 'arr':
      return n.items.map(toPlain);
    case 'val':
      return n.value;
    default:
      return undefined;
  }
}

export { setAt as hoconSet };
