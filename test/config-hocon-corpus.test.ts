/**
 * A corpus of HOCON syntax cases: input → plain tree, or → located error (line:column).
 * Each case comes from EMQX's parser (github.com/emqx/hocon) — its scanner rules
 * (src/hocon_scanner.xrl), token pass (src/hocon_token.erl), grammar (src/hocon_parser.yrl),
 * README "Divergence from Spec and Caveats", or a named eunit case of test/hocon_tests.erl —
 * or from the HOCON spec (lightbend/config HOCON.md) where EMQX agrees with it. EMQX wins
 * where they differ, since EMQX is what loads the file. Then: every real EMQX config of the
 * fixtures parses, and the contract for parse failures (failed / syntaxErrors / partial).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hoconGet, parseHocon, toPlain, unindent } from '../src/config/hocon.js';
import { memoryIO } from '../src/config/io.js';

interface Case {
  /** Where the expected result comes from. */
  src: string;
  input: string;
  /** The plain tree, or [line, column, message pattern] of the one syntax error. */
  expect: unknown;
  env?: Record<string, string>;
}
const err = (line: number, column: number, re: RegExp) => ({ line, column, re });
type Err = ReturnType<typeof err>;
const isErr = (x: unknown): x is Err => typeof x === 'object' && x !== null && (x as { re?: unknown }).re instanceof RegExp;

const CASES: Case[] = [
  // --- the forms of issue 13 (HARDENING-FACTS section 7)
  { src: 'scanner Unquoted = {Letter}[A-Za-z0-9_\\.@%\\-\\|]*; README "@ is allowed"', input: 'node.name = emqx@127.0.0.1', expect: { node: { name: 'emqx@127.0.0.1' } } },
  { src: 'scanner unesc/1: unknown escapes keep the backslash', input: 're = "^\\d+$"', expect: { re: '^\\d+$' } },
  { src: 'scanner unesc/1: \\" \\\\ \\n \\t \\r \\b \\f decode', input: 's = "a\\"b\\\\c\\nd\\te\\rf\\bg\\fh"', expect: { s: 'a"b\\c\nd\te\rf\bg\fh' } },
  { src: 'scanner unesc/1 has no \\u or \\/ clause: they stay as written', input: 's = "x\\u0041\\/"', expect: { s: 'x\\u0041\\/' } },
  { src: 'scanner: newlines are Ignored tokens, so a value may start on the next line', input: 'key =\n  value\nother:\n\n  2', expect: { key: 'value', other: 2 } },
  { src: 'hocon_token:trans_key (a string before "{" is a key): two fields on one line', input: 'a {x = 1} b {y = 2}', expect: { a: { x: 1 }, b: { y: 2 } } },
  { src: 'parser fields -> field fields: no separator needed', input: 'a = 1 b = "2" c = x', expect: { a: 1, b: '2', c: 'x' } },
  { src: 'scanner: "/" is no Unquoted character (scan error); quote the path', input: 'authz {\n  path = etc/acl.conf\n}', expect: err(2, 13, /cannot contain "\/".*quote the value: "etc\/acl.conf"/) },
  { src: 'scanner: "/" in a value (scan error), the suggestion quotes the whole word', input: 'certfile = ${EMQX_ETC_DIR}/certs/cert.pem', expect: err(1, 27, /quote the value: "\$\{EMQX_ETC_DIR\}\/certs\/cert.pem"/) },
  { src: 'hocon_tests triple_quote_string_test ("~\\n    1\\n\\n    2")', input: 'a = """~\n    1\n\n    2"""', expect: { a: '1\n\n2' } },
  { src: 'EMQX 5.x release note "rule_xlu4" example (""" ~ … ~ """)', input: 'rule {\n  sql = """~\n    SELECT\n      *\n    FROM\n      "t/#"\n  ~"""\n}', expect: { rule: { sql: 'SELECT\n  *\nFROM\n  "t/#"\n' } } },
  { src: 'triple_quote_string_test: a last line of spaces indented less is dropped', input: 'a = """~\n    a\n  ~"""', expect: { a: 'a\n' } },
  { src: 'triple_quote_string_test: a last line of spaces indented more is kept', input: 'a = """~\n  a\n    ~"""', expect: { a: 'a\n  ' } },
  { src: 'triple_quote_string_test: " as the value', input: 'a = """~\n"~"""', expect: { a: '"' } },
  { src: 'triple_quote_string_test: CRLF', input: 'a = """~\r\n1\r\n"""', expect: { a: '1\r\n' } },
  { src: 'triple_quote_string_test: without ~ the string is raw', input: 'a = """ 1\\n "x" """', expect: { a: ' 1\\n "x" ' } },
  { src: 'escape_test: " immediately after the opening """ is a value', input: 'k = """"1"""', expect: { k: '"1' } },
  { src: 'escape_test: " immediately before the closing """ is a scan error', input: 'k = """a"cd""""', expect: err(1, 15, /unterminated quoted string/) },
  { src: 'escape_test: \\" immediately before the closing """ is a scan error', input: 'k = """a"cd\\""""', expect: err(1, 5, /cannot end with a quote/) },
  { src: 'escape_test: two backslashes before " inside "..." (longest match)', input: 'k = "a\\\\"cd"', expect: { k: 'a\\"cd' } },
  { src: 'escape_test: an unescaped quote inside "..." fails the scanner', input: 'k = "a"cd"', expect: err(1, 10, /unterminated quoted string/) },
  { src: 'escape_test: a newline inside "..." is a scan error', input: 'k = "a\nd"', expect: err(1, 5, /unterminated quoted string/) },
  { src: 'include with an unquoted name (scanner: Unquoted is a string token; parser include string)', input: 'include extra.conf', expect: { extra: 1 } },
  { src: 'parser directive -> include string', input: 'include "extra.conf"', expect: { extra: 1 } },
  { src: 'scanner rule Required + parser include required string', input: 'include required("extra.conf")\nb = 2', expect: { extra: 1, b: 2 } },
  { src: 'README: file() includes are not supported; hocon_tests test_file_load("file-include") is a scan_error', input: 'include file("extra.conf")', expect: err(1, 13, /include file\(\.\.\.\) is not supported/) },
  { src: 'scanner: required(file(...)) does not match the Required rule', input: 'include required(file("extra.conf"))', expect: err(1, 17, /include required\(\.\.\.\) is not supported/) },
  { src: 'required_test: a missing required include is an error', input: 'include required("no.conf")', expect: err(1, 1, /cannot read included file \/etc\/emqx\/no.conf/) },
  { src: 'required_test: a missing optional include is nothing', input: 'include "no.conf"\na = 1', expect: { a: 1 } },
  { src: 'scanner: "include" is a keyword (maybe_include/2); quoted it is a key', input: '"include" = 1', expect: { include: 1 } },
  // --- what else EMQX's grammar decides
  { src: 'comments # and // (scanner Comment)', input: 'a = 1 # x\n// y\nb = "#z" // w', expect: { a: 1, b: '#z' } },
  { src: 'scanner Punctuator has no "+=" (Lightbend appends)', input: 'a += 1', expect: err(1, 3, /"\+=" is not supported/) },
  { src: 'README: value concatenation is not allowed in keys', input: 'foo bar = 1', expect: err(1, 5, /a key is one word or one quoted string/) },
  { src: 'README: "key=value1 value2" is value1value2 (whitespace dropped)', input: 'key = value1 value2', expect: { key: 'value1value2' } },
  { src: 'README: newlines do not prevent string concatenation', input: 'key = value1\nvalue2', expect: { key: 'value1value2' } },
  { src: 'string_concat_test', input: 'a = foo"bar"', expect: { a: 'foobar' } },
  { src: 'parser: numbers do not concatenate (parse_sytax_error_test "b=true${a}")', input: 'a = xyz, b = true${a}', expect: err(1, 18, /cannot follow true/) },
  { src: 'concat_error_binary_test: a number substituted into a string', input: 'a = 2, b = xyz${a}', expect: err(1, 12, /cannot concatenate a number/) },
  { src: 'array_concat_test', input: 'a = [1, 2] [3, 4]\nb = [1, 2, \n][3, 4]', expect: { a: [1, 2, 3, 4], b: [1, 2, 3, 4] } },
  { src: 'README: key=[1, 2]\\n[3, 4] concatenates', input: 'key = [1, 2]\n[3, 4]', expect: { key: [1, 2, 3, 4] } },
  { src: 'array_concat_test "z=[{a=1}{b=1}, {c=1}]"', input: 'z=[{a=1}{b=1}, {c=1}]', expect: { z: [{ a: 1, b: 1 }, { c: 1 }] } },
  { src: 'array_element_splice_test "a=[x y z, a]"', input: 'a=[x y z, a]', expect: { a: ['xyz', 'a'] } },
  { src: 'adjacent_maps_test: newlines act as commas between objects in an array', input: 'x = [\n1, {\n a = 1\n} {\n b = 2}\n{c = 3}, 4\n]', expect: { x: [1, { a: 1, b: 2 }, { c: 3 }, 4] } },
  { src: 'object_concat_test', input: 'a={b=1} {c=2}\nx={c=2},y={b=1,}${x}', expect: { a: { b: 1, c: 2 }, x: { c: 2 }, y: { b: 1, c: 2 } } },
  { src: 'object_merging_test: objects merge, anything else replaces', input: 'a={b=1, c=1}, a=a, a={c=2}\nd={e=1}, d={f=2}', expect: { a: { c: 2 }, d: { e: 1, f: 2 } } },
  { src: 'expand_paths_test', input: 'foo.x=[1,2], foo.y=${foo.x}', expect: { foo: { x: [1, 2], y: [1, 2] } } },
  { src: 'map_with_placeholders_test: a quoted key is one key, dots and all', input: '"${.payload.key}" = v\n"a.b" = 1', expect: { '${.payload.key}': 'v', 'a.b': 1 } },
  { src: 'maybe_var_test', input: 'x=aa${?b}cc\ny=${?nope}\nz={p=${?a}}\nw=${?q}[1, 2]', expect: { x: 'aacc', z: {}, w: [1, 2] } },
  { src: 'resolve_error_binary_test: a reference to an absent ${?y} disappears', input: 'a=${x}\n x=${?y}', expect: {} },
  { src: 'resolve_error_binary_test: an unresolvable ${x} is an error', input: 'a=${x}', expect: err(1, 3, /unresolved substitution \$\{x\}/) },
  { src: 'scanner Variable = \\$\\{{Unquoted}\\}: no quotes or spaces in a path', input: 'a = ${ b }', expect: err(1, 5, /must start a substitution/) },
  { src: 'commas_test: trailing commas', input: 'a=[1,2,3,]\nb={c=1, d=2,}', expect: { a: [1, 2, 3], b: { c: 1, d: 2 } } },
  { src: 'commas_test: "a=[1,2,3,,]"', input: 'a=[1,2,3,,]', expect: err(1, 10, /two commas/) },
  { src: 'commas_test: "a=[,1,2,3]"', input: 'a=[,1,2,3]', expect: err(1, 4, /expected a value, found ","/) },
  { src: 'commas_test: "a={,b=1,c=2}"', input: 'a={,b=1,c=2}', expect: err(1, 4, /a comma must follow a field/) },
  { src: 'commas_test: empty input and "{}"', input: '{}', expect: {} },
  { src: 'commas_test: newlines separate array elements', input: 'a=[1\n2\n3]', expect: { a: [1, 2, 3] } },
  { src: 'parser: a comma cannot end the root (fields -> field \',\' fields)', input: 'a = 1,', expect: err(1, 7, /a comma cannot end the file/) },
  { src: 'parser hocon -> \'{\' fields endobj: root braces enclose everything', input: '{ a = 1 } b = 2', expect: err(1, 11, /after the "}" that closes the root/) },
  { src: 'unquoted_test and scanner Bool/Null', input: 'a=true\nb=false\nc=null\nd=trueish', expect: { a: true, b: false, c: null, d: 'trueish' } },
  { src: 'float_point_test and scanner Integer/Float', input: 'a=0.5\nb=.5\nc=-2\nd=1.5e3', expect: { a: 0.5, b: 0.5, c: -2, d: 1500 } },
  { src: 'scanner Duration/Bytesize/Percent stay strings', input: 'a=15s\nb=10ms\nc=1MB\nd=80%\ne=infinity', expect: { a: '15s', b: '10ms', c: '1MB', d: '80%', e: 'infinity' } },
  { src: 'scanner: an unquoted address is Float tokens, not a string', input: 'ip = 10.0.0.1', expect: err(1, 10, /cannot follow 10.0.*quote the whole value/) },
  { src: 'scanner: ":" is a Punctuator, so URLs must be quoted', input: 'url = http://x:8080/', expect: err(1, 7, /quote values that contain ":"/) },
  { src: 'scanner: an unquoted string starts with a letter', input: 'a = _x', expect: err(1, 5, /unexpected character "_"/) },
  { src: 'scanner: single quotes are no strings', input: "a = 'x'", expect: err(1, 5, /single quotes/) },
  { src: 'parser: a key needs a value before the next key or the end', input: 'node {\n  cookie =\n}', expect: err(2, 10, /expected a value after "=" for key "cookie"/) },
  { src: 'obj_inside_array_test', input: 'a:[{b.c = [{x.y=1}]}]', expect: { a: [{ b: { c: [{ x: { y: 1 } }] } }] } },
  { src: 'empty_map_test', input: 'a:{b:{}}', expect: { a: { b: {} } } },
  { src: 'hocon_token:read/1 drops a byte-order mark', input: '\uFEFFa = 1', expect: { a: 1 } },
  { src: 'HOCON spec: root braces are optional, JSON is HOCON', input: '{"a": 1, "b": [true, null, "x"], "c": {"d": 1.5}}', expect: { a: 1, b: [true, null, 'x'], c: { d: 1.5 } } },
];

const INCLUDED = { '/etc/emqx/extra.conf': 'extra = 1\n' };

test('corpus: every case parses to its tree or fails at its line:column', () => {
  for (const c of CASES) {
    const io = memoryIO(INCLUDED);
    const r = parseHocon(c.input, '/etc/emqx/t.conf', { io, env: c.env ?? {} });
    const label = `${JSON.stringify(c.input)} (${c.src})`;
    if (isErr(c.expect)) {
      assert.equal(r.issues.length, 1, `${label}: ${JSON.stringify(r.issues)}`);
      const [i] = r.issues;
      assert.match(i!.message, c.expect.re, label);
      assert.deepEqual([i!.file, i!.line, i!.column], ['/etc/emqx/t.conf', c.expect.line, c.expect.column], `${label}: ${i!.message}`);
    } else {
      assert.deepEqual(r.issues, [], label);
      assert.equal(r.failed, false, label);
      assert.deepEqual(toPlain(r.root), c.expect, label);
    }
  }
});

test('unindent follows emqx/hocon unindent/1 (triple_quote_string_test)', () => {
  const cases: [string, string][] = [
    ['1', '1'],
    ['~\n1~', '1'],
    ['~\n1\n~', '1\n'],
    ['~\n     1\n    \n    2', ' 1\n\n2'],
    ['~\n     1\n    \n    2\n    ~', ' 1\n\n2\n'],
    ['~\n     1\n    \n    2\n     ~', ' 1\n\n2\n '],
    ['~\n', ''],
    ['~\n    ~', ''],
  ];
  for (const [raw, want] of cases) assert.equal(unindent(raw), want, JSON.stringify(raw));
});

test('positions: every value, key path and error has its line and column', () => {
  const text = 'node {\n  name = emqx@127.0.0.1\n  cookie =\n    "s3cret"\n}\nlisteners.ssl.default { bind = 8883 } authorization { sources = [\n  {type = file}\n  {type = http}\n] }\n';
  const r = parseHocon(text, 'e.conf');
  assert.deepEqual(r.issues, []);
  const at = (p: string) => {
    const n = hoconGet(r.root, p)!;
    return `${n.loc.line}:${n.loc.column}`;
  };
  assert.equal(at('node.name'), '2:10');
  assert.equal(at('node.cookie'), '4:5');
  assert.equal(at('listeners.ssl.default.bind'), '6:32');
  const sources = hoconGet(r.root, 'authorization.sources')!;
  assert.ok(sources.t === 'arr');
  assert.deepEqual(sources.items.map((i) => `${i.loc.line}:${i.loc.column}`), ['7:3', '8:3']);
});

test('a failed parse says so: failed, syntaxErrors, an empty root for that file, the partial tree for positions', () => {
  const r = parseHocon('node.cookie = "abc"\nlisteners.tcp.default { bind = 1883 }\nauthz.path = etc/acl.conf\nlater = 1\n', 'emqx.conf');
  assert.equal(r.failed, true);
  assert.equal(r.syntaxErrors.length, 1);
  assert.equal(r.issues[0], r.syntaxErrors[0]);
  assert.deepEqual([r.syntaxErrors[0]!.line, r.syntaxErrors[0]!.column, r.syntaxErrors[0]!.incomplete], [3, 17, true]);
  assert.deepEqual(toPlain(r.root), {}, 'nothing of a file EMQX refuses is judged');
  assert.ok(r.partial);
  assert.deepEqual(toPlain(r.partial), { node: { cookie: 'abc' }, listeners: { tcp: { default: { bind: 1883 } } } });
  assert.equal(hoconGet(r.partial, 'node.cookie')!.loc.line, 1);

  // A syntax error in an included file fails the whole config (EMQX refuses to load it) and drops that file.
  const io = memoryIO({ '/e/emqx.conf': 'a = 1\ninclude "bad.conf"\n', '/e/bad.conf': 'b = 2\nc = x/y\n' });
  const inc = parseHocon(io.readFile('/e/emqx.conf'), '/e/emqx.conf', { io });
  assert.equal(inc.failed, true);
  assert.deepEqual(inc.syntaxErrors.map((i) => `${i.file}:${i.line}:${i.column}`), ['/e/bad.conf:2:6']);
  assert.deepEqual(toPlain(inc.root), { a: 1 });
  assert.equal(inc.partial, undefined, 'the top-level file itself was read completely');

  const ok = parseHocon('a = 1', 'ok.conf');
  assert.deepEqual([ok.failed, ok.syntaxErrors, ok.partial], [false, [], undefined]);
});

test('every real EMQX config of the fixtures parses without an issue; the Erlang-terms acl.conf is no HOCON', () => {
  const dir = fileURLToPath(new URL('fixtures/real-configs/emqx/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f !== 'UPSTREAM-LICENSE-HEAD.txt');
  assert.ok(files.length >= 15, files.join());
  let parsed = 0;
  for (const f of files) {
    const r = parseHocon(readFileSync(dir + f, 'utf8'), dir + f, { resolve: false });
    if (f === 'emqx_auth_etc_acl.conf') {
      // EMQX reads acl.conf with file:consult/1, never as HOCON (see parseEmqxAcl).
      assert.equal(r.failed, true);
      continue;
    }
    assert.deepEqual(r.issues, [], f);
    assert.ok(r.root.fields.size > 0, `${f} is not empty`);
    parsed++;
  }
  assert.equal(parsed, files.length - 1);
  // The shipped emqx.conf keeps node.name with its "@" as one unquoted string.
  const conf = parseHocon(readFileSync(dir + 'emqx_conf_etc_emqx_conf.conf', 'utf8'), 'emqx.conf', { resolve: false });
  assert.equal((hoconGet(conf.root, 'node.name') as { value?: unknown }).value, 'emqx@127.0.0.1');
});

test('the NanoMQ dialect reads an unquoted address or size as one string where EMQX refuses it', () => {
  const text = 'http_server {\n  ip_addr = 0.0.0.0\n  port = 8081\n}\nlimit = 1.5 MB\n';
  const emqx = parseHocon(text, 'n.conf', { io: memoryIO({}) });
  assert.equal(emqx.failed, true, 'EMQX refuses 0.0.0.0 unquoted');
  const nano = parseHocon(text, 'n.conf', { io: memoryIO({}), dialect: 'nanomq' });
  assert.deepEqual(nano.issues, []);
  assert.equal(hoconGet(nano.root, 'http_server.ip_addr')?.t === 'val' && (hoconGet(nano.root, 'http_server.ip_addr') as { value: unknown }).value, '0.0.0.0');
  assert.equal((hoconGet(nano.root, 'http_server.port') as { value: unknown }).value, 8081, 'a number alone stays a number');
  assert.equal((hoconGet(nano.root, 'limit') as { value: unknown }).value, '1.5 MB');
});
