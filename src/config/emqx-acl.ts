/**
 * EMQX `acl.conf`: Erlang terms, each ending with ".", `%` comments to the end of
 * the line. Hand-written because no JS library reads Erlang term files with
 * positions; the subset is what file:consult/1 accepts for ACLs: atoms (bare and
 * 'quoted'), "strings", <<"binaries">>, integers, tuples and lists.
 * Rules: {Perm, Who, Action, Topics} | {Perm, all} | {Perm, {security_profile, P}}.
 */
import type { ConfigIssue, SourceLoc } from './io.js';

export type Term =
  | { t: 'atom'; v: string; loc: SourceLoc }
  | { t: 'string'; v: string; loc: SourceLoc }
  | { t: 'int'; v: number; loc: SourceLoc }
  | { t: 'tuple'; items: Term[]; loc: SourceLoc }
  | { t: 'list'; items: Term[]; loc: SourceLoc };

export interface EmqxAclRule {
  perm: 'allow' | 'deny';
  /** `all`, or the condition term as Erlang text, e.g. {username,"x"}. */
  who: string;
  /** publish | subscribe | all (a complex action is given as its simple action). */
  action?: string;
  topics?: string[];
  /** The rule is the catch-all form {Perm, all}. */
  catchAll: boolean;
  /** {Perm, {security_profile, legacy}}: applies under the legacy profile (default before EMQX 6.3). */
  securityProfile?: string;
  term: Term;
  loc: SourceLoc;
}

export interface EmqxAcl {
  file: string;
  rules: EmqxAclRule[];
  issues: ConfigIssue[];
}

class TermError extends Error {
  constructor(
    message: string,
    readonly loc: SourceLoc,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;

class TermParser {
  i = 0;
  line = 1;
  col = 1;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}
  loc(): SourceLoc {
    return { file: this.file, line: this.line, column: this.col };
  }
  adv(n = 1) {
    for (let j = 0; j < n; j++) {
      if (this.text[this.i] === '\n') {
        this.line++;
        this.col = 1;
      } else this.col++;
      this.i++;
    }
  }
  skip() {
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) return;
      if (c === '%') {
        while (this.i < this.text.length && this.text[this.i] !== '\n') this.adv();
      } else if (/\s/.test(c)) this.adv();
      else return;
    }
  }
  atEnd() {
    this.skip();
    return this.i >= this.text.length;
  }
  expect(c: string) {
    this.skip();
    if (this.text[this.i] !== c) throw new TermError(`expected "${c}"${this.i >= this.text.length ? ' before the end of the file' : `, found "${this.text[this.i]}"`}`, this.loc());
    this.adv();
  }
  quoted(q: string): string {
    const start = this.loc();
    this.adv();
    let v = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw new TermError(`unterminated ${q === '"' ? 'string' : 'quoted atom'}`, start);
      if (c === q) {
        this.adv();
        return v;
      }
      if (c === '\\') {
        const e = this.text[this.i + 1] ?? '';
        v += ({ n: '\n', t: '\t', r: '\r', s: ' ', e: '\x1b', '\\': '\\', '"': '"', "'": "'" } as Record<string, string>)[e] ?? e;
        this.adv(2);
        continue;
      }
      v += c;
      this.adv();
    }
  }
  term(depth = 0): Term {
    if (depth > MAX_DEPTH) throw new TermError(`terms nested deeper than ${MAX_DEPTH}`, this.loc());
    this.skip();
    const loc = this.loc();
    const c = this.text[this.i];
    if (c === undefined) throw new TermError('unexpected end of file in a term', loc);
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.adv();
      const items: Term[] = [];
      this.skip();
      if (this.text[this.i] === close) {
        this.adv();
        return { t: c === '{' ? 'tuple' : 'list', items, loc };
      }
      for (;;) {
        items.push(this.term(depth + 1));
        this.skip();
        const d = this.text[this.i];
        if (d === ',') {
          this.adv();
          continue;
        }
        if (d === close) {
          this.adv();
          return { t: c === '{' ? 'tuple' : 'list', items, loc };
        }
        throw new TermError(d === undefined ? `unterminated ${c === '{' ? 'tuple' : 'list'}: missing "${close}"` : `expected "," or "${close}", found "${d}"`, d === undefined ? loc : this.loc());
      }
    }
    if (c === '"') return { t: 'string', v: this.quoted('"'), loc };
    if (c === "'") return { t: 'atom', v: this.quoted("'"), loc };
    if (c === '<' && this.text.startsWith('<<', this.i)) {
      this.adv(2);
      this.skip();
      const v = this.text[this.i] === '"' ? this.quoted('"') : '';
      this.skip();
      if (!this.text.startsWith('>>', this.i)) throw new TermError('expected ">>" to close a binary', this.loc());
      this.adv(2);
      return { t: 'string', v, loc };
    }
    let m = /^-?\d+/.exec(this.text.slice(this.i, this.i + 32));
    if (m) {
      this.adv(m[0].length);
      return { t: 'int', v: Number(m[0]), loc };
    }
    m = /^[a-z][a-zA-Z0-9_@]*/.exec(this.text.slice(this.i, this.i + 256));
    if (m) {
      this.adv(m[0].length);
      return { t: 'atom', v: m[0], loc };
    }
    throw new TermError(`unexpected "${c}" in a term`, loc);
  }
}

/** Erlang text of a term, for messages and evidence. */
export function termText(t: Term): string {
  switch (t.t) {
    case 'atom':
      return /^[a-z][a-zA-Z0-9_@]*$/.test(t.v) ? t.v : `'${t.v}'`;
    case 'string':
      return JSON.stringify(t.v);
    case 'int':
      return String(t.v);
    case 'tuple':
      return `{${t.items.map(termText).join(', ')}}`;
    case 'list':
      return `[${t.items.map(termText).join(', ')}]`;
  }
}

function toRule(term: Term, issues: ConfigIssue[]): EmqxAclRule | undefined {
  const bad = (m: string) => {
    issues.push({ ...term.loc, message: m });
    return undefined;
  };
  if (term.t !== 'tuple') return bad(`an ACL rule must be a tuple, found ${termText(term).slice(0, 60)}`);
  const [perm, who, action, topics] = term.items;
  if (!perm || perm.t !== 'atom' || (perm.v !== 'allow' && perm.v !== 'deny')) return bad('an ACL rule starts with allow or deny');
  const p = perm.v;
  if (term.items.length === 2) {
    if (who!.t === 'atom' && who!.v === 'all') return { perm: p, who: 'all', catchAll: true, term, loc: term.loc };
    if (who!.t === 'tuple' && who!.items[0]?.t === 'atom' && who!.items[0].v === 'security_profile' && who!.items[1]?.t === 'atom') {
      return { perm: p, who: termText(who!), catchAll: true, securityProfile: who!.items[1].v, term, loc: term.loc };
    }
    return bad(`a two-element rule must be {${p}, all} or {${p}, {security_profile, P}}`);
  }
  if (term.items.length !== 4) return bad('an ACL rule has 2 or 4 elements: {Perm, Who, Action, Topics}');
  const act = action!.t === 'atom' ? action!.v : action!.t === 'tuple' && action!.items[0]?.t === 'atom' ? action!.items[0].v : undefined;
  if (!act || !['publish', 'subscribe', 'all', 'pubsub'].includes(act)) return bad('the action must be publish, subscribe or all');
  const list = topics!.t === 'list' ? topics!.items : [topics!];
  const names = list.map((x) =>
    x.t === 'string' ? x.v : x.t === 'atom' && x.v === 'all' ? '#' : x.t === 'tuple' && x.items[0]?.t === 'atom' && x.items[0].v === 'eq' && x.items[1]?.t === 'string' ? `eq ${x.items[1].v}` : termText(x),
  );
  return { perm: p, who: termText(who!), action: act, topics: names, catchAll: false, term, loc: term.loc };
}

/** Parse EMQX acl.conf; a syntax error stops at that place with a located issue (the rules before it are kept). */
export function parseEmqxAcl(text: string, file: string): EmqxAcl {
  const p = new TermParser(text, file);
  const rules: EmqxAclRule[] = [];
  const issues: ConfigIssue[] = [];
  try {
    while (!p.atEnd()) {
      const term = p.term();
      p.expect('.');
      const r = toRule(term, issues);
      if (r) rules.push(r);
    }
  } catch (e) {
    if (!(e instanceof TermError)) throw e;
    issues.push({ ...e.loc, message: e.message });
  }
  return { file, rules, issues };
}
