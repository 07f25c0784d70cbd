/**
 * HOCON as EMQX reads it (EMQX 5/6 configs: base.hocon, cluster.hocon, emqx.conf), with a
 * source position (file, line, column) on every value and every error.
 *
 * Hand-written on purpose: the npm HOCON parsers (hocon-parser 1.0.1, unmaintained;
 * @pushcorn/hocon-parser, async and position-less) return plain values, follow Lightbend's
 * HOCON rather than EMQX's dialect, and a linter needs file:line:column everywhere.
 *
 * The grammar is the one of EMQX's parser (github.com/emqx/hocon: the leex scanner
 * src/hocon_scanner.xrl, the token pass src/hocon_token.erl, the yecc grammar
 * src/hocon_parser.yrl, and the cases of test/hocon_tests.erl), re-implemented here as a
 * recursive-descent parser over the same tokens. Where it differs from Lightbend's HOCON
 * (github.com/lightbend/config HOCON.md), EMQX wins, because EMQX is what loads the file:
 *
 * - Unquoted strings start with a letter and continue with letters, digits and `_ . @ % - |`
 *   only (scanner rule `Unquoted`): `emqx@127.0.0.1` is one string, while `/`, `:`, `'`,
 *   `(`, `+`, `*` … in an unquoted value are syntax errors (`path = etc/acl.conf` must be
 *   quoted). Numbers are `-1`, `2.5`, `.5`, `1.5e3`; `15s`, `10ms`, `1MB`, `80%` stay strings.
 * - Newlines mean nothing to the grammar (the scanner drops them with the whitespace): a
 *   value may start on the line after `=`, `a {…} b {…}` and `a = 1 b = 2` on one line are
 *   separate fields, and a field needs no separator. A key is the one string token right
 *   before `=`, `:` or `{` (hocon_token:trans_key); keys are never concatenated (`foo bar = 1`
 *   is an error). Unquoted keys split on `.`; a quoted key is one element (test
 *   map_with_placeholders_test round-trips `"${.payload.key}"` as one key).
 * - Value concatenation joins strings WITHOUT the whitespace between them (`a = foo bar` is
 *   "foobar", README "Newlines do not prevent concatenation"), joins arrays and merges
 *   objects, also across newlines; numbers, booleans and null never concatenate. In an
 *   array, an object or array followed by `{`/`[` on a later line starts a new element
 *   (adjacent_maps_test), on the same line it concatenates.
 * - Quoted strings: `\" \\ \n \t \r \b \f` are escapes; any other backslash stays as written
 *   (`"^\d+$"` is `^\d+$`, and `\uXXXX`, `\/` are NOT decoded: unesc/1 has no clause for them).
 *   A quoted string cannot span lines.
 * - Triple-quoted strings are raw (no escapes) and may not end with `"` (four closing
 *   quotes are an error). `"""~` followed by a newline starts an indented string: that first
 *   line is dropped, a `~` right before the closing `"""` is dropped, and the smallest
 *   indentation (spaces) of the non-empty lines is removed from every line; a last line of
 *   spaces only may be indented less (hocon_scanner unindent/min_indent, triple_quote_string_test).
 * - Substitutions are `${path}` and `${?path}` with an unquoted path, nothing else (no
 *   quotes, no spaces); `${?x}` of a missing x removes the field. The environment is used
 *   for paths the config does not define (EMQX_ETC_DIR and the like).
 * - `include "f"`, `include f.conf` (unquoted) and `include required("f")` (no space inside
 *   the parentheses); a relative name is relative to the including file. `include file(…)`,
 *   `url(…)`, `classpath(…)` are syntax errors (README: not supported; test file-include).
 *   `include` is a keyword everywhere: quote it to use it as a key.
 * - Not supported by EMQX and refused here: `+=`, comments other than `#` and `//`, a comma
 *   before the first or after the last field of the file, two commas in a row, single quotes.
 *   A trailing comma before `}` or `]` is fine. Objects at the same key merge, anything else
 *   replaces; a `.`-path key (`a.b = 1`) merges like nested braces.
 * - Known gaps (rare in broker configs; a config using them may resolve differently here):
 *   numeric paths into arrays (`a = [1], a.1 = 42`, array_mrege_test); a field of an object
 *   concatenation that refers to its own object (`x = {a = 1} {b = ${x.a}}` is a cycle here);
 *   the look-forward order of look_forward_test; substitutions in a file included under a
 *   key, which EMQX makes relative to that key (hocon_token abspath/2); EMQX's include_dirs.
 *
 * Error contract (callers such as src/config/emqx.ts rely on it):
 * - parseHocon never throws for bad content. A syntax error in a file is ONE located issue
 *   (`file:line:column`, `incomplete: true`, message ending "(the file was not parsed)"), also
 *   listed in `syntaxErrors`, and `failed` is true: EMQX refuses to load such a config.
 * - A file with a syntax error contributes NOTHING to `root` (an included file as well), so
 *   `root` never holds half a file that looks complete. For locating things in a file that
 *   failed, `partial` holds the tree of the top-level file as far as it was read before the
 *   error; it is never a config to judge.
 * - Unresolved substitutions, substitution cycles and mixed concatenations are located issues
 *   too (EMQX refuses those as well) but do not set `failed`; what is left unresolved is
 *   dropped from `root`.
 *
 * Bounded: nesting depth, include depth, and the size of substituted values are capped, so
 * hostile input gives located issues, never a hang or a stack overflow.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { errCode, fsIO, isMissing, type ConfigIO, type ConfigIssue, type SourceLoc } from './io.js';
import { READ_LIMITS } from '../io/read.js';

export type HScalar = string | number | boolean | null;

export type HNode =
  | { t: 'obj'; fields: Map<string, HNode>; loc: SourceLoc }
  | { t: 'arr'; items: HNode[]; loc: SourceLoc }
  | { t: 'val'; value: HScalar; loc: SourceLoc; /** marks a removed `${?missing}` during resolution */ ws?: true }
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
  /**
   * Whose parser to follow: `emqx` (default; emqx/hocon, strict as described above) or `nanomq`, whose
   * own HOCON parser reads an unquoted value such as `ip_addr = 0.0.0.0` or `10.0.0.1` as one string where
   * EMQX refuses a number followed by more text.
   */
  dialect?: 'emqx' | 'nanomq';
}

export interface HoconResult {
  /** The config; files with a syntax error contribute nothing (see the module comment). */
  root: HObject;
  issues: ConfigIssue[];
  /** Files read, the top-level one first. */
  files: string[];
  /** A file (the top-level one or an include) had a syntax error: EMQX would refuse this config. */
  failed: boolean;
  /** The syntax errors (also in `issues`), at most one per file. */
  syntaxErrors: ConfigIssue[];
  /** When the top-level file failed: its tree as far as it was read, for positions only. */
  partial?: HObject;
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

type Punct = '{' | '}' | '[' | ']' | ',' | ':' | '=';
type Tok =
  | { k: 'punct'; v: Punct; loc: SourceLoc }
  /** Quoted, triple-quoted and unquoted strings, and the durations/sizes/percentages the scanner keeps as strings. */
  | { k: 'str'; v: string; quoted: boolean; loc: SourceLoc }
  /** Integers, floats, true/false, null: values of their own that never concatenate. */
  | { k: 'prim'; v: number | boolean | null; raw: string; loc: SourceLoc }
  | { k: 'subst'; path: string[]; optional: boolean; loc: SourceLoc }
  | { k: 'include'; loc: SourceLoc }
  /** `required(` … `)` around the quoted name that follows as a `str` token. */
  | { k: 'required'; loc: SourceLoc }
  | { k: 'eof'; loc: SourceLoc };

/** The scanner's whitespace (`WhiteSpace` and `NewLine` of hocon_scanner.xrl); lines are counted at \n. */
const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f' || c === '\u00a0' || c === '\u2028' || c === '\u2029';
const isLineEnd = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/** Scanner rules that start with a letter, digit or sign; the longest match wins, ties go to the earlier rule. */
const WORD_RULES: [RegExp, 'bool' | 'null' | 'unquoted' | 'int' | 'float' | 'unit'][] = [
  [/true|false/y, 'bool'],
  [/null/y, 'null'],
  [/[A-Za-z][A-Za-z0-9_.@%|-]*/y, 'unquoted'],
  [/[+-]?[0-9]+/y, 'int'],
  [/[+-]?[0-9]*\.[0-9]+/y, 'float'],
  [/[+-]?[0-9]+\.[0-9]+[eE][+-]?[0-9]+/y, 'float'],
  [/[0-9]+(?:kb|KB|mb|MB|gb|GB)/y, 'unit'],
  [/[0-9]+%/y, 'unit'],
  [/[0-9]+(?:ms|MS|d|D|h|H|m|M|s|S)/y, 'unit'],
];
const SUBST = /\$\{(\?)?([A-Za-z][A-Za-z0-9_.@%|-]*)\}/y;
/** Characters that end the "word" quoted in an error's suggestion. */
const WORD_END = /[\s,{}[\]=#"]/;

/** Escapes of quoted strings (hocon_scanner unesc/1); any other backslash is kept. */
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const e = c === '\\' ? ESCAPES[s[i + 1] ?? ''] : undefined;
    if (e !== undefined) {
      out += e;
      i++;
    } else out += c;
  }
  return out;
}

/** `"""~` strings: drop the `~` line and the common indentation (hocon_scanner unindent/1). */
export function unindent(s: string): string {
  let body: string;
  if (s.startsWith('~\n')) body = s.slice(2);
  else if (s.startsWith('~\r\n')) body = s.slice(3);
  else return s;
  const lines = body.split('\n');
  const last = lines.length - 1;
  if (lines[last]!.endsWith('~')) lines[last] = lines[last]!.slice(0, -1);
  const spaces = (l: string) => (l === '' || l === '\r' ? undefined : /^ */.exec(l)![0].length);
  let indent: number;
  if (lines.length === 1) indent = spaces(lines[0]!) ?? 0;
  else {
    const others = lines.slice(0, last).map(spaces).filter((x): x is number => x !== undefined);
    const min = others.length ? Math.min(...others) : 0;
    const lastLine = lines[last]!;
    const lastLevel = spaces(lastLine);
    indent = lastLine !== '' && /^ +$/.test(lastLine) ? min : lastLevel === undefined ? min : Math.min(lastLevel, min);
  }
  return lines.map((l) => (l === '\r' ? l : l.slice(Math.min(indent, /^ */.exec(l)![0].length)))).join('\n');
}

/**
 * The scanner, one token per call (the parser pulls them: no token array is ever built).
 * Positions are 1-based line and column of the token's first character.
 */
function makeLexer(text: string, file: string): () => Tok {
  let i = text.startsWith('\uFEFF') ? 1 : 0; // hocon_token:read/1 drops a BOM
  let line = 1;
  let lineStart = i;
  const n = text.length;
  /** Start and end offsets of the previous token (for the "quote the value" suggestions). */
  let prevStart = -1;
  let prevEnd = -1;
  let prevText = '';
  const pending: Tok[] = [];
  const locAt = (at: number): SourceLoc => ({ file, line, column: at - lineStart + 1 });
  const advanceLines = (from: number, to: number) => {
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < to; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
  };

  /** A quoted string at `at`: the scanner takes the longest match, so an escaped quote may end it only if nothing later does. */
  const quoted = (at: number): { v: string; end: number } => {
    let candidate = -1;
    for (let j = at + 1; ; j++) {
      const c = text[j];
      if (c === undefined || isLineEnd(c)) {
        if (candidate < 0) throw new HoconSyntaxError('unterminated quoted string (a "..." string ends on its line; use """...""" for several lines)', locAt(at));
        return { v: unescape(text.slice(at + 1, candidate)), end: candidate + 1 };
      }
      if (c === '"') {
        if (text[j - 1] !== '\\' || j - 1 === at) return { v: unescape(text.slice(at + 1, j)), end: j + 1 };
        candidate = j;
      }
    }
  };

  const tripleQuoted = (at: number): { v: string; end: number } => {
    for (let j = at + 3; ; ) {
      const c = text[j];
      if (c === undefined) throw new HoconSyntaxError('unterminated triple-quoted string: missing """', locAt(at));
      if (c === '\\' && '"\\bfnrt'.includes(text[j + 1] ?? 'x')) {
        j += 2;
        continue;
      }
      if (c === '"') {
        let r = 1;
        while (text[j + r] === '"') r++;
        if (r >= 3) {
          const raw = text.slice(at + 3, j);
          if (raw.endsWith('\\"')) throw new HoconSyntaxError('a triple-quoted string cannot end with a quote: EMQX reads four closing quotes as an error (use """~ ... "~""")', locAt(at));
          return { v: unindent(raw), end: j + 3 };
        }
        j += r;
        continue;
      }
      j++;
    }
  };

  const illegal = (at: number): HoconSyntaxError => {
    const c = text[at]!;
    const where = locAt(at);
    const runStart = prevEnd === at ? prevStart : at;
    let runEnd = at + 1;
    while (runEnd < n && !WORD_END.test(text[runEnd]!)) runEnd++;
    const word = JSON.stringify(text.slice(runStart, runEnd));
    if (c === '/') return new HoconSyntaxError(`unquoted strings cannot contain "/": EMQX's HOCON parser rejects this; quote the value: ${word}`, where);
    if (c === '+' && text[at + 1] === '=') return new HoconSyntaxError('"+=" is not supported by EMQX\'s HOCON parser: assign the whole array (key = [a, b])', where);
    if (c === '(' && prevEnd === at && /^(file|url|classpath|required)$/.test(prevText))
      return new HoconSyntaxError(`include ${prevText}(...) is not supported by EMQX's HOCON parser: write include "name.conf" or include required("name.conf") (no space inside the parentheses)`, where);
    if (c === "'") return new HoconSyntaxError(`single quotes do not make a string in HOCON: use double quotes (${JSON.stringify(text.slice(at + 1, runEnd).replace(/'$/, ''))})`, where);
    if (c === '$') return new HoconSyntaxError('"$" must start a substitution ${path} or ${?path} with an unquoted path (letters, digits, _ . @ % - |); quote the string otherwise', where);
    const shown = c.charCodeAt(0) < 32 || c.charCodeAt(0) > 126 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c;
    return new HoconSyntaxError(`unexpected character "${shown}": EMQX's HOCON parser rejects it here; quote the value: ${word}`, where);
  };

  const emit = (t: Tok, start: number, end: number): Tok => {
    prevStart = start;
    prevEnd = end;
    prevText = text.slice(start, end);
    return t;
  };

  return (): Tok => {
    if (pending.length) return pending.shift()!;
    while (i < n) {
      const c = text[i]!;
      if (c === '\n') {
        i++;
        line++;
        lineStart = i;
        continue;
      }
      if (isWs(c)) {
        i++;
        continue;
      }
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        while (i < n && !isLineEnd(text[i])) i++;
        continue;
      }
      const start = i;
      const loc = locAt(i);
      if (c === '{' || c === '}' || c === '[' || c === ']' || c === ',' || c === ':' || c === '=') {
        i++;
        return emit({ k: 'punct', v: c, loc }, start, i);
      }
      if (c === '"') {
        const s = text.startsWith('"""', i) ? tripleQuoted(i) : quoted(i);
        advanceLines(i, s.end);
        i = s.end;
        return emit({ k: 'str', v: s.v, quoted: true, loc }, start, i);
      }
      if (c === '$') {
        SUBST.lastIndex = i;
        const m = SUBST.exec(text);
        if (!m) throw illegal(i);
        const path = m[2]!.split('.');
        if (path.some((p) => p === '')) throw new HoconSyntaxError(`empty path element in substitution ${m[0]}`, loc);
        i += m[0].length;
        return emit({ k: 'subst', path, optional: m[1] === '?', loc }, start, i);
      }
      // required("name") is one scanner token (rule Required); the name follows as a string token.
      if (c === 'r' && text.startsWith('required("', i)) {
        const s = quoted(i + 9);
        if (text[s.end] === ')') {
          pending.push({ k: 'str', v: s.v, quoted: true, loc: locAt(i + 9) });
          i = s.end + 1;
          return emit({ k: 'required', loc }, start, i);
        }
      }
      let best = 0;
      let kind: (typeof WORD_RULES)[number][1] | undefined;
      for (const [re, k] of WORD_RULES) {
        re.lastIndex = i;
        const m = re.exec(text);
        if (m && m[0].length > best) {
          best = m[0].length;
          kind = k;
        }
      }
      if (!kind) throw illegal(i);
      const raw = text.slice(i, i + best);
      i += best;
      switch (kind) {
        case 'bool':
          return emit({ k: 'prim', v: raw === 'true', raw, loc }, start, i);
        case 'null':
          return emit({ k: 'prim', v: null, raw, loc }, start, i);
        case 'int':
        case 'float':
          return emit({ k: 'prim', v: Number(raw.startsWith('.') || raw.startsWith('-.') || raw.startsWith('+.') ? raw.replace('.', '0.') : raw), raw, loc }, start, i);
        case 'unquoted':
          if (raw === 'include') return emit({ k: 'include', loc }, start, i);
          return emit({ k: 'str', v: raw, quoted: false, loc }, start, i);
        default:
          return emit({ k: 'str', v: raw, quoted: false, loc }, start, i);
      }
    }
    return { k: 'eof', loc: locAt(i) };
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

interface Ctx {
  io: ConfigIO | undefined;
  issues: ConfigIssue[];
  files: string[];
  includeStack: string[];
  syntaxErrors: ConfigIssue[];
  partial?: HObject;
  dialect: 'emqx' | 'nanomq';
}

const isPunct = (t: Tok, v: Punct): boolean => t.k === 'punct' && t.v === v;

/**
 * The grammar of hocon_parser.yrl over the scanner's tokens. Where the yecc grammar needs
 * hocon_token's look-back (a string right before `=`, `:` or `{` is a key; the last piece of
 * a value comes right before a key, `include`, `,`, `}`, `]` or the end), this parser looks
 * one token ahead instead.
 */
class Parser {
  /** Lookahead: the current token and at most one more. */
  private readonly buf: Tok[] = [];
  /** Substitution tokens consumed so far: values without any skip the self-reference pass. */
  private substSeen = 0;
  /** Line of the last token consumed (an object or array that ends a line). */
  private prevLine = 0;
  /** The top-level object being filled: what was read before a syntax error. */
  root: HObject | undefined;
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
    this.prevLine = t.loc.line;
    return t;
  }
  /** hocon_token:trans_key: a string token followed by `=`, `:` or `{` is a key. */
  private isKey(k = 0): boolean {
    const t = this.la(k);
    if (t.k !== 'str') return false;
    const n = this.la(k + 1);
    return n.k === 'punct' && (n.v === '=' || n.v === ':' || n.v === '{');
  }

  parseRoot(): HObject {
    const t = this.tok;
    const root: HObject = { t: 'obj', fields: new Map(), loc: t.loc };
    this.root = root;
    if (isPunct(t, '{')) {
      this.next();
      if (isPunct(this.tok, '}')) this.next();
      else this.fields(root, '}', 1, []);
    } else if (isPunct(t, '[')) {
      throw new HoconSyntaxError('the root of a config must be an object, not an array', t.loc);
    } else if (t.k !== 'eof') {
      this.fields(root, 'eof', 1, []);
    }
    const e = this.tok;
    if (e.k !== 'eof') throw new HoconSyntaxError(`unexpected ${describe(e)} after the "}" that closes the root object`, e.loc);
    return root;
  }

  /** fields -> field [','] fields | field: a field needs no separator before the next one. */
  private fields(obj: HObject, end: '}' | 'eof', depth: number, prefix: string[]) {
    for (;;) {
      const t = this.tok;
      if (t.k === 'include') {
        this.next();
        this.include(obj, prefix, t.loc);
      } else if (this.isKey()) {
        this.field(obj, depth, prefix);
      } else {
        throw this.notAField(obj, end);
      }
      let s = this.peek();
      if (isPunct(s, ',')) {
        this.next();
        s = this.peek();
        if (isPunct(s, ',')) throw new HoconSyntaxError('two commas in a row', s.loc);
        if (s.k === 'eof' && end === 'eof') throw new HoconSyntaxError('a comma cannot end the file: EMQX\'s parser expects another field after it', s.loc);
        if (end === '}' && isPunct(s, '}')) {
          this.next(); // trailing comma (hocon_token:rm_trailing_comma)
          return;
        }
        continue;
      }
      if (end === '}' && isPunct(s, '}')) {
        this.next();
        return;
      }
      if (end === 'eof' && s.k === 'eof') return;
    }
  }

  private notAField(obj: HObject, end: '}' | 'eof'): HoconSyntaxError {
    const t = this.tok;
    if (t.k === 'eof') return new HoconSyntaxError('unterminated object: missing "}"', obj.loc);
    if (isPunct(t, '}') && end === 'eof') return new HoconSyntaxError('unexpected "}": no object is open here', t.loc);
    if (t.k === 'str') {
      const n = this.la(1);
      if (n.k === 'str') return new HoconSyntaxError(`expected "=", ":" or "{" after ${describe(t)}, found ${describe(n)}: a key is one word or one quoted string (EMQX joins no words in keys)`, n.loc);
      return new HoconSyntaxError(`expected "=", ":" or "{" after key ${describe(t)}, found ${describe(n)}`, n.loc);
    }
    if (isPunct(t, ',')) return new HoconSyntaxError('unexpected ",": a comma must follow a field', t.loc);
    return new HoconSyntaxError(`expected a key, found ${describe(t)}`, t.loc);
  }

  private keyPath(t: Extract<Tok, { k: 'str' }>): string[] {
    if (t.quoted) return [t.v];
    const path = t.v.split('.');
    if (path.some((p) => p === '')) throw new HoconSyntaxError(`empty key element in "${t.v}"`, t.loc);
    return path;
  }

  private field(obj: HObject, depth: number, prefix: string[]) {
    const key = this.next() as Extract<Tok, { k: 'str' }>;
    const path = this.keyPath(key);
    // A dotted key nests as deep as braces do (and everything after parsing recurses on the tree).
    if (prefix.length + path.length > MAX_DEPTH) throw new HoconSyntaxError(`nesting deeper than ${MAX_DEPTH} (a key of ${path.length} elements)`, key.loc);
    const sep = this.tok;
    if (isPunct(sep, '=') || isPunct(sep, ':')) {
      this.next();
      // A value may start on a later line; with none before the next key or the end, the error points at the "=".
      const v = this.peek();
      if (v.k === 'str' && isPunct(this.la(1), ':') && v.loc.line === sep.loc.line)
        throw new HoconSyntaxError(`expected a value, found ${describe(v)} followed by ":", which reads as a key: quote values that contain ":" (e.g. "http://host:8080")`, v.loc);
      if (v.k === 'eof' || v.k === 'include' || isPunct(v, '}') || isPunct(v, ',') || isPunct(v, ']') || this.isKey())
        throw new HoconSyntaxError(`expected a value after "${(sep as { v: string }).v}" for key "${path.join('.')}", found ${describe(v)}`, sep.loc);
    }
    const before = this.substSeen;
    const value = this.value(depth, [...prefix, ...path], false);
    setAt(obj, path, value, key.loc, prefix, this.substSeen !== before);
  }

  /**
   * One value: a number, boolean or null alone, or a concatenation of strings, substitutions,
   * objects and arrays (`partials`), which ends right before a key, `include`, `,`, `}`, `]`
   * or the end of the file, newlines or not.
   */
  private value(depth: number, prefix: string[], inArray: boolean): HNode {
    if (depth > MAX_DEPTH) throw new HoconSyntaxError(`nesting deeper than ${MAX_DEPTH}`, this.tok.loc);
    const t = this.tok;
    if (t.k === 'prim') {
      this.next();
      const n = this.tok;
      if (this.ctx.dialect === 'nanomq' && !inArray && n.loc.line === t.loc.line && (n.k === 'prim' || (n.k === 'str' && !n.quoted && !this.isKey()))) {
        // NanoMQ: the rest of the line's unquoted pieces form one string with the number (0.0.0.0, 1.5s).
        let text = t.raw;
        let end = t.loc.column + t.raw.length;
        for (let c = this.tok; c.loc.line === t.loc.line && (c.k === 'prim' || (c.k === 'str' && !c.quoted && !this.isKey())); c = this.tok) {
          const raw = c.k === 'prim' ? c.raw : c.v;
          text += (c.loc.column > end ? ' ' : '') + raw;
          end = c.loc.column + raw.length;
          this.next();
        }
        return { t: 'val', value: text, loc: t.loc };
      }
      // (a word on a later line is more likely a key missing its "=": the caller says so)
      if (!inArray && ((n.k === 'str' && !this.isKey() && n.loc.line === t.loc.line) || n.k === 'subst' || n.k === 'prim' || isPunct(n, '{') || isPunct(n, '[')))
        throw new HoconSyntaxError(`${describe(n)} cannot follow ${t.raw}: EMQX's parser only joins strings, substitutions, objects and arrays; quote the whole value`, n.loc);
      return { t: 'val', value: t.v, loc: t.loc };
    }
    const parts: HNode[] = [];
    for (;;) {
      const c = this.tok;
      let node: HNode;
      if (c.k === 'str') {
        if (this.isKey()) break;
        this.next();
        node = { t: 'val', value: c.v, loc: c.loc };
      } else if (c.k === 'subst') {
        this.next();
        this.substSeen++;
        node = { t: 'subst', path: c.path, optional: c.optional, loc: c.loc };
      } else if (isPunct(c, '{') || isPunct(c, '[')) {
        const last = parts[parts.length - 1];
        // In an array, `{…}` or `[…]` on a later line is the next element (adjacent_maps_test).
        if (inArray && last && (last.t === 'obj' || last.t === 'arr') && c.loc.line > this.prevLine) break;
        this.next();
        node = isPunct(c, '{') ? this.object(c.loc, depth + 1, prefix) : this.array(c.loc, depth + 1);
      } else break;
      parts.push(node);
    }
    const n = this.tok;
    if (!parts.length) {
      if (n.k === 'str' && isPunct(this.la(1), ':'))
        throw new HoconSyntaxError(`expected a value, found ${describe(n)} followed by ":", which reads as a key: quote values that contain ":" (e.g. "http://host:8080")`, n.loc);
      throw new HoconSyntaxError(`expected a value, found ${describe(n)}`, n.loc);
    }
    if (n.k === 'punct' && (n.v === ':' || n.v === '='))
      throw new HoconSyntaxError(`unexpected "${n.v}" after a value: quote values that contain "${n.v}" (e.g. "http://host:8080" or "0.0.0.0:1883")`, n.loc);
    if (n.k === 'prim' && !inArray) throw new HoconSyntaxError(`${describe(n)} cannot follow a string: EMQX's parser joins strings only with strings, substitutions, objects and arrays; quote the whole value`, n.loc);
    if (parts.length === 1) return parts[0]!;
    // Static concatenations of strings fold now (without the whitespace between them, as EMQX does); others wait for substitutions.
    if (parts.every((x) => x.t === 'val')) return { t: 'val', value: parts.map((x) => String((x as { value: HScalar }).value)).join(''), loc: parts[0]!.loc };
    return { t: 'concat', parts, loc: parts[0]!.loc };
  }

  private object(loc: SourceLoc, depth: number, prefix: string[]): HObject {
    if (depth > MAX_DEPTH) throw new HoconSyntaxError(`nesting deeper than ${MAX_DEPTH}`, loc);
    const obj: HObject = { t: 'obj', fields: new Map(), loc };
    if (isPunct(this.tok, '}')) this.next();
    else this.fields(obj, '}', depth, prefix);
    return obj;
  }

  /** elements -> value [','] elements | value, with a trailing comma allowed. */
  private array(loc: SourceLoc, depth: number): HNode {
    const arr: Extract<HNode, { t: 'arr' }> = { t: 'arr', items: [], loc };
    if (isPunct(this.tok, ']')) {
      this.next();
      return arr;
    }
    for (;;) {
      if (this.tok.k === 'eof') throw new HoconSyntaxError('unterminated array: missing "]"', loc);
      arr.items.push(this.value(depth, [IN_ARRAY], true));
      const s = this.peek();
      if (isPunct(s, ',')) {
        this.next();
        if (isPunct(this.tok, ',')) throw new HoconSyntaxError('two commas in a row', this.tok.loc);
        if (isPunct(this.tok, ']')) {
          this.next();
          return arr;
        }
        continue;
      }
      if (isPunct(s, ']')) {
        this.next();
        return arr;
      }
      if (s.k === 'eof') throw new HoconSyntaxError('unterminated array: missing "]"', loc);
      // elements -> value elements: the next element may follow without a comma.
      if ((s.k === 'punct' && s.v !== '{' && s.v !== '[') || s.k === 'include') throw new HoconSyntaxError(`expected "," or "]" in an array, found ${describe(s)}`, s.loc);
    }
  }

  /** include "f" | include f | include required("f"), merged into the enclosing object. */
  private include(target: HObject, prefix: string[], start: SourceLoc) {
    let required = false;
    if (this.tok.k === 'required') {
      this.next();
      required = true;
    }
    const t = this.tok;
    if (t.k !== 'str') throw new HoconSyntaxError(`include needs a file name (include "extra.conf", include extra.conf or include required("extra.conf")), found ${describe(t)}`, t.loc);
    this.next();
    const name = t.v;
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
      // Missing includes are silently ignored unless required (EMQX too); a linter still says so.
      if (required || !isMissing(e)) this.ctx.issues.push({ ...start, message: `cannot read included file ${path}: ${errCode(e)}`, incomplete: true });
      return;
    }
    const sub = parseFile(text, path, this.ctx);
    mergeObject(target, sub, prefix);
  }
}

function scalarText(v: Extract<HNode, { t: 'val' }>): string {
  return v.value === null ? 'null' : String(v.value);
}

function describe(t: Tok): string {
  switch (t.k) {
    case 'eof':
      return 'the end of the file';
    case 'punct':
      return `"${t.v}"`;
    case 'subst':
      return `substitution \${${t.optional ? '?' : ''}${t.path.join('.')}}`;
    case 'include':
      return '"include"';
    case 'required':
      return 'required(...)';
    case 'prim':
      return t.raw;
    default:
      return JSON.stringify(t.v.length > 40 ? `${t.v.slice(0, 40)}…` : t.v);
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
    // A reference to a field that was itself an absent ${?x} disappears as well (resolve_error_binary_test).
    if (cur) return undefined;
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
      // EMQX concatenates strings only: a number, boolean or null next to a string is a concat_error (concat_error_binary_test).
      if (solid.length > 1 && solid.some((p) => typeof (p as { value: HScalar }).value !== 'string')) {
        issues.push({ ...loc, message: 'cannot concatenate a number, boolean or null with a string: EMQX refuses it; quote the number' });
        return { t: 'val', value: null, loc, ws: true };
      }
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

// ---------------------------------------------------------------- API

function parseFile(text: string, file: string, ctx: Ctx): HObject {
  ctx.files.push(file);
  const empty = (): HObject => ({ t: 'obj', fields: new Map(), loc: { file, line: 1, column: 1 } });
  if (text.length > MAX_CONFIG_CHARS) {
    ctx.issues.push({ file, line: 1, column: 1, message: `${file} is over the ${MAX_CONFIG_CHARS / (1024 * 1024)} MiB limit for a config file: not parsed`, incomplete: true });
    return empty();
  }
  const top = ctx.includeStack.length === 0;
  ctx.includeStack.push(file);
  const parser = new Parser(makeLexer(text, file), file, ctx);
  try {
    return parser.parseRoot();
  } catch (e) {
    if (!(e instanceof HoconSyntaxError)) throw e;
    // A syntax error drops the whole file: EMQX refuses it, and nothing of it is judged.
    const issue: ConfigIssue = { ...e.loc, message: `${e.message} (the file was not parsed)`, incomplete: true };
    ctx.issues.push(issue);
    ctx.syntaxErrors.push(issue);
    if (top && parser.root) ctx.partial = parser.root;
    return empty();
  } finally {
    ctx.includeStack.pop();
  }
}

/**
 * Parse HOCON text as EMQX does. Never throws for bad content: see the error contract in
 * the module comment (`failed`, `syntaxErrors`, `partial`).
 */
export function parseHocon(text: string, file: string, opts: HoconOptions = {}): HoconResult {
  const ctx: Ctx = { io: opts.io ?? fsIO(), issues: [], files: [], includeStack: [], syntaxErrors: [], dialect: opts.dialect ?? 'emqx' };
  const root = parseFile(text, file, ctx);
  if (opts.resolve !== false) resolveHocon(root, opts.env ?? {}, ctx.issues);
  return { root, issues: ctx.issues, files: ctx.files, failed: ctx.syntaxErrors.length > 0, syntaxErrors: ctx.syntaxErrors, ...(ctx.partial ? { partial: ctx.partial } : {}) };
}

/** Parse a single HOCON value (e.g. an environment override): `[a, b]`, `"x"`, `1MB`. */
export function parseHoconValue(text: string, file: string, line = 1, column = 1): { value?: HNode; issue?: ConfigIssue } {
  try {
    const toks = tokenize(text, file).map((t) => ({ ...t, loc: { file, line: line + t.loc.line - 1, column: t.loc.line === 1 ? column + t.loc.column - 1 : t.loc.column } }));
    const at0: SourceLoc = { file, line, column };
    const all = [{ k: 'str', v: 'v', quoted: true, loc: at0 }, { k: 'punct', v: '=', loc: at0 }, ...toks] as Tok[];
    let at = 0;
    const p = new Parser(() => all[Math.min(at++, all.length - 1)]!, file, { io: undefined, issues: [], files: [], includeStack: [], syntaxErrors: [], dialect: 'emqx' });
    const root = p.parseRoot();
    const value = root.fields.get('v');
    if (!value || root.fields.size !== 1) return { issue: { ...at0, message: 'not a single HOCON value' } };
    return { value };
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
