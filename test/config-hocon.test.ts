/**
 * The HOCON parser against the cases of the HOCON spec (lightbend/config HOCON.md) that
 * EMQX's parser (emqx/hocon) reads the same way, source positions, located errors, and a
 * bounded fuzz run (fixed seed). Where EMQX differs from the spec, EMQX wins (see
 * src/config/hocon.ts and test/config-hocon-corpus.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoconGet, parseHocon, toPlain } from '../src/config/hocon.js';
import { memoryIO } from '../src/config/io.js';

const plain = (text: string, env: Record<string, string> = {}) => {
  const r = parseHocon(text, 't.conf', { env });
  assert.deepEqual(r.issues, [], `issues for ${JSON.stringify(text)}`);
  return toPlain(r.root);
};
const issues = (text: string, env: Record<string, string> = {}) => parseHocon(text, 't.conf', { env }).issues;

test('JSON is HOCON; root braces are optional', () => {
  assert.deepEqual(plain('{"a": 1, "b": [true, null, "x"], "c": {"d": 1.5}}'), { a: 1, b: [true, null, 'x'], c: { d: 1.5 } });
  assert.deepEqual(plain('a = 1\nb : "x"\n'), { a: 1, b: 'x' });
});

test('dotted keys and quoted keys; EMQX joins no words in keys', () => {
  assert.deepEqual(plain('a.b.c = 1'), { a: { b: { c: 1 } } });
  assert.deepEqual(plain('"a.b" = 1'), { 'a.b': 1 });
  // Lightbend HOCON concatenates keys; EMQX's parser does not (emqx/hocon README, hocon_token:trans_key).
  for (const text of ['a."b.c".d = 1', 'foo bar = 1', '1.2 = x']) assert.equal(issues(text).length, 1, text);
});

test('objects merge; non-objects replace; later wins', () => {
  assert.deepEqual(plain('foo { a = 42 }\nfoo { b = 43 }'), { foo: { a: 42, b: 43 } });
  assert.deepEqual(plain('foo { a = 42 }\nfoo = null\nfoo { b = 43 }'), { foo: { b: 43 } });
  assert.deepEqual(plain('a = 1\na = 2'), { a: 2 });
  assert.deepEqual(plain('a.b = 1\na { c = 2 }'), { a: { b: 1, c: 2 } });
  assert.deepEqual(plain('foo { bar = 1 }'), plain('foo = { bar = 1 }'));
});

test('separators: newlines, commas, trailing comma; comments', () => {
  assert.deepEqual(plain('a = [1, 2, 3,]\nb = [\n 1\n 2\n]'), { a: [1, 2, 3], b: [1, 2] });
  assert.deepEqual(plain('a = 1 # c\nb = 2 // c\n// x\n# y\nc = "#not" '), { a: 1, b: 2, c: '#not' });
  assert.match(issues('a = http://x')[0]!.message, /quote values that contain ":"/); // ":" may not appear unquoted (spec)
});

test('strings: quoted escapes, triple quotes, unquoted, concatenation drops the whitespace (EMQX)', () => {
  // EMQX decodes \" \\ \n \t \r \b \f only; \u0041 stays as written (hocon_scanner unesc/1).
  assert.deepEqual(plain('a = "x\\ty\\u0041"'), { a: 'x\ty\\u0041' });
  assert.deepEqual(plain('a = """multi\nline "q" """'), { a: 'multi\nline "q" ' });
  assert.equal(issues('a = """x""""').length, 1, 'four closing quotes are an error in EMQX (triple_quote_string_test)');
  assert.deepEqual(plain('a = foo bar   baz'), { a: 'foobarbaz' });
  assert.equal(issues('a = foo "bar" 1').length, 1, 'a number does not concatenate');
  assert.deepEqual(plain('d = 15s\ns = 1MB\nv = tlsv1.3\nip = "10.0.0.1"\nn = -2.5e3'), { d: '15s', s: '1MB', v: 'tlsv1.3', ip: '10.0.0.1', n: -2500 });
  assert.equal(issues('ip = 10.0.0.1').length, 1, 'an unquoted IP address is two floats for EMQX\'s scanner');
});

test('array and object concatenation', () => {
  assert.deepEqual(plain('a = [1, 2] [3]'), { a: [1, 2, 3] });
  assert.deepEqual(plain('a = { x = 1 } { y = 2 }'), { a: { x: 1, y: 2 } });
});

test('substitutions: forward and backward, nested, optional, environment, self-reference; no +=', () => {
  assert.deepEqual(plain('a = ${b}\nb = 1'), { a: 1, b: 1 });
  assert.deepEqual(plain('x { y = "1" }\nz = ${x.y}" 2"'), { x: { y: '1' }, z: '1 2' });
  assert.match(issues('x { y = 1 }\nz = ${x.y}" 2"')[0]!.message, /concatenate/, 'EMQX joins no number with a string (concat_error_binary_test)');
  assert.deepEqual(plain('a = ${?nope}\nb = [1, ${?nope}]'), { b: [1] });
  assert.deepEqual(plain('home = ${HOME}', { HOME: '/root' }), { home: '/root' });
  assert.deepEqual(plain('path = "a"\npath = ${path}":b"'), { path: 'a:b' });
  assert.deepEqual(plain('arr = [1]\narr = ${arr} [2]'), { arr: [1, 2] });
  assert.deepEqual(plain('o { a = 1 }\no = ${o} { b = 2 }'), { o: { a: 1, b: 2 } });
  assert.match(issues('a += 1')[0]!.message, /"\+=" is not supported/, 'EMQX\'s scanner has no "+=" (hocon_scanner.xrl Punctuator)');
  assert.deepEqual(plain('s = "${notsubst}"'), { s: '${notsubst}' }, 'no substitution inside quotes');
  assert.deepEqual(plain('a { b = 1, c = ${a.b} }'), { a: { b: 1, c: 1 } });
});

test('substitution problems are located issues', () => {
  const [i1] = issues('x = 1\nk = ${missing}');
  assert.equal(i1?.line, 2);
  assert.equal(i1?.column, 5);
  assert.match(i1!.message, /unresolved substitution \$\{missing\}/);
  const [i2] = issues('a = ${b}\nb = ${a}');
  assert.match(i2!.message, /cycle/);
  const [i3] = issues('a = [1] x');
  assert.match(i3!.message, /concatenate/);
});

test('include "f", include f, include required("f"), relative to the including file; cycles and missing files', () => {
  // EMQX's parser has no include file(...) (emqx/hocon README; hocon_tests test_file_load("file-include")).
  const io = memoryIO({
    '/etc/emqx/emqx.conf': 'a = 1\ninclude extra.conf\nnested { include "/etc/emqx/n.conf" }\ninclude "missing.conf"\ninclude required("gone.conf")\n',
    '/etc/emqx/extra.conf': 'b = 2\na = 3\ninclude "emqx.conf"\n',
    '/etc/emqx/n.conf': 'x = ${a}',
  });
  const r = parseHocon(io.readFile('/etc/emqx/emqx.conf'), '/etc/emqx/emqx.conf', { io });
  assert.deepEqual(toPlain(r.root), { a: 3, b: 2, nested: { x: 3 } });
  assert.deepEqual(r.files, ['/etc/emqx/emqx.conf', '/etc/emqx/extra.conf', '/etc/emqx/n.conf']);
  const msgs = r.issues.map((i) => `${i.file}:${i.line} ${i.message}`);
  assert.equal(msgs.length, 2, msgs.join('\n'));
  assert.match(msgs[0]!, /^\/etc\/emqx\/extra.conf:3 include cycle/);
  assert.match(msgs[1]!, /^\/etc\/emqx\/emqx.conf:5 cannot read included file \/etc\/emqx\/gone.conf/);
  assert.equal(hoconGet(r.root, 'b')!.loc.file, '/etc/emqx/extra.conf');
});

test('every value has its position', () => {
  const r = parseHocon('node {\n  cookie = "abc"\n}\nlisteners.ssl.default {\n   bind = 8883\n   ssl_options.versions = [tlsv1.1,\n     tlsv1.2]\n}\n', 'e.conf');
  const at = (p: string) => {
    const n = hoconGet(r.root, p)!;
    return `${n.loc.line}:${n.loc.column}`;
  };
  assert.equal(at('node.cookie'), '2:12');
  assert.equal(at('listeners.ssl.default.bind'), '5:11');
  const versions = hoconGet(r.root, 'listeners.ssl.default.ssl_options.versions')!;
  assert.ok(versions.t === 'arr');
  assert.deepEqual(versions.items.map((i) => `${i.loc.line}:${i.loc.column}`), ['6:28', '7:6']);
});

test('syntax errors are located (file:line:column) and never throw', () => {
  const cases: [string, number, number, RegExp][] = [
    ['a = {\n b = 1', 1, 5, /unterminated object/],
    ['a = "x\n', 1, 5, /unterminated quoted string/],
    ['a = [1, 2', 1, 5, /unterminated array/],
    ['a = 1\nb', 2, 2, /expected "=", ":" or "\{"/],
    ['a = 1 }', 1, 7, /unexpected "}": no object is open/],
    ['a = $x', 1, 5, /substitution/],
    ['a = "x"\npath = etc/acl.conf', 2, 11, /cannot contain "\/".*quote the value: "etc\/acl.conf"/],
    ['a = [1,,2]', 1, 8, /two commas/],
    ['a..b = 1', 1, 1, /empty key element/],
  ];
  for (const [text, line, column, re] of cases) {
    const r = parseHocon(text, 'bad.conf');
    assert.equal(r.issues.length, 1, `${text}: ${JSON.stringify(r.issues)}`);
    const [i] = r.issues;
    assert.match(i!.message, re, text);
    assert.deepEqual([i!.file, i!.line, i!.column], ['bad.conf', line, column], `${text}: ${i!.message}`);
  }
});

test('hostile input is bounded: deep nesting, expansion bombs', () => {
  const deep = parseHocon('a = ' + '['.repeat(100_000), 'deep.conf');
  assert.match(deep.issues[0]!.message, /nesting deeper/);
  const deepObj = parseHocon('a ' + '{ a '.repeat(50_000), 'deep.conf');
  assert.match(deepObj.issues[0]!.message, /nesting deeper/);
  let bomb = 'l0 = [1,1,1,1,1,1,1,1,1,1]\n';
  for (let i = 1; i < 12; i++) bomb += `l${i} = [${Array(10).fill(`\${l${i - 1}}`).join(',')}]\n`;
  const b = parseHocon(bomb, 'bomb.conf');
  assert.ok(b.issues.some((i) => /too large/.test(i.message)), JSON.stringify(b.issues.slice(0, 2)));
});

/** mulberry32: a fixed-seed PRNG so failures reproduce. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('fuzz: random, mutated and truncated inputs give located issues, never a throw (fixed seed, bounded)', () => {
  const rnd = prng(0x5eed);
  const seed = 'node { name = "emqx@127.0.0.1", cookie = x }\nlisteners.ssl.default { bind = "0.0.0.0:8883"\n ssl_options { versions = [tlsv1.2] } }\na = ${node.name} """t"""\nb += [1, {c: 2}]\n// c\n';
  const alphabet = '{}[]=:,+"$?.#/\\\n \tab1"""${}';
  const io = memoryIO({ 'a.conf': 'x = 1\ninclude "fuzz.conf"\n', 'fuzz.conf': 'include "a.conf"\n' });
  const pieces = ['include "a.conf"\n', 'include required(file("nope"))\n', '${?a}', '"""', 'a += [', '}\n'];
  for (let n = 0; n < 1500; n++) {
    let text: string;
    const mode = n % 3;
    if (mode === 0) text = seed.slice(0, Math.floor(rnd() * seed.length));
    else if (mode === 1) {
      const chars = [...seed];
      for (let k = 0; k < 1 + rnd() * 6; k++) chars[Math.floor(rnd() * chars.length)] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      text = chars.join('');
    } else text = Array.from({ length: Math.floor(rnd() * 80) }, () => (rnd() < 0.1 ? pieces[Math.floor(rnd() * pieces.length)]! : alphabet[Math.floor(rnd() * alphabet.length)])).join('');
    const r = parseHocon(text, 'fuzz.conf', { io });
    for (const i of r.issues) {
      assert.ok(i.file === 'fuzz.conf' || i.file === 'a.conf', i.file);
      assert.ok(i.line >= 1 && i.column >= 1 && i.message.length > 0, JSON.stringify({ text, i }));
      if (i.file === 'fuzz.conf') assert.ok(i.line <= text.split('\n').length, JSON.stringify({ text, i }));
    }
  }
});
