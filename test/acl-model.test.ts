/**
 * The evaluators' corners that the live-broker tests do not reach: EMQX's no_match default by
 * version, security-profile rules, ${username} for a client without one, ipaddr and eq topics, `#`
 * over $SYS; the dynamic-security reader's located errors; the loader's errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseEmqxAcl } from '../src/config/emqx-acl.js';
import { EmqxAclEvaluator } from '../src/acl/emqx.js';
import { loadAclSetup, AclInputError } from '../src/acl/load.js';
import { emqxMatches, mosquittoMatches, subWithinAcl } from '../src/acl/topic.js';

const emqx = (text: string, opts: Partial<ConstructorParameters<typeof EmqxAclEvaluator>[1]> = {}) => new EmqxAclEvaluator([parseEmqxAcl(text, 'acl.conf')], { version: 5, ...opts });

describe('EMQX evaluation', () => {
  it('no rule matched: no_match is allow in 5.x, deny since 6.0, or as configured', () => {
    const text = '{allow, {username, "a"}, publish, ["a/1"]}.\n';
    const five = emqx(text).evaluate({ username: 'b' }, 'write', 'x');
    assert.equal(five.allowed, true);
    assert.match(five.fallback!, /no_match = allow \(EMQX 5\.x default\)/);
    assert.equal(emqx(text, { version: 6 }).evaluate({ username: 'b' }, 'write', 'x').allowed, false);
    const set = emqx(text, { version: 5, noMatch: { value: 'deny', where: 'emqx.conf:3' } }).evaluate({ username: 'b' }, 'write', 'x');
    assert.equal(set.allowed, false);
    assert.match(set.fallback!, /emqx\.conf:3/);
  });
  it('{allow, {security_profile, legacy}} applies only under that profile', () => {
    const text = '{deny, all, subscribe, ["$SYS/#"]}.\n{allow, {security_profile, legacy}}.\n';
    assert.equal(emqx(text, { version: 6 }).evaluate({}, 'write', 'a/b').rule?.loc.line, 2);
    const hardened = emqx(text, { version: 6, profile: 'hardened' }).evaluate({}, 'write', 'a/b');
    assert.equal(hardened.allowed, false);
    assert.equal(hardened.rule, undefined);
  });
  it('a username condition never matches a client without one; ${username} makes EMQX skip the source', () => {
    const e = emqx('{allow, all, all, ["users/${username}/#"]}.\n{allow, all, publish, ["x"]}.\n', { version: 6 });
    const d = e.evaluate({}, 'write', 'x');
    assert.equal(d.allowed, false, 'the rest of the file is skipped, then no_match');
    assert.ok(d.notes.some((n) => /cannot render/.test(n)));
    assert.equal(e.evaluate({ username: 'u' }, 'write', 'users/u/1').rule?.loc.line, 1);
  });
  it('eq topics, ipaddr, regular expressions, and # covering $SYS', () => {
    const e = emqx('{deny, all, subscribe, [{eq, "#"}]}.\n{allow, {ipaddr, "10.0.0.0/8"}, all, ["#"]}.\n{allow, {username, {re, "^dev-"}}, publish, ["d/+"]}.\n{deny, all}.\n');
    assert.equal(e.evaluate({ username: 'x', ip: '10.1.2.3' }, 'subscribe', '#').rule?.loc.line, 1);
    assert.equal(e.evaluate({ username: 'x', ip: '10.1.2.3' }, 'subscribe', 'a/#').rule?.loc.line, 2);
    assert.equal(e.evaluate({ username: 'x', ip: '10.1.2.3' }, 'write', '$SYS/brokers').allowed, true, '# covers $SYS in EMQX authorization');
    assert.equal(e.evaluate({ username: 'x', ip: '192.168.1.1' }, 'write', 'a').rule?.loc.line, 4);
    assert.equal(e.evaluate({ username: 'dev-7' }, 'write', 'd/7').rule?.loc.line, 3);
    assert.equal(e.evaluate({ username: 'xdev-7' }, 'write', 'd/7').rule?.loc.line, 4);
  });
});

describe('topic matching', () => {
  it('Mosquitto keeps $ topics apart from wildcards; EMQX words do not', () => {
    assert.equal(mosquittoMatches('#', '$SYS/x'), false);
    assert.equal(mosquittoMatches('$SYS/#', '$SYS/x'), true);
    assert.equal(mosquittoMatches('a/#', 'a'), true);
    assert.equal(emqxMatches('#', '$SYS/x'), true);
    assert.equal(emqxMatches('a/+', 'a/#'), true, 'a + word of the rule matches a # word of the request');
    assert.equal(subWithinAcl('a/+', 'a/#'), false);
    assert.equal(subWithinAcl('a/#', 'a/+/b'), true);
  });
});

describe('inputs', () => {
  it('dynamic-security.json through the project parser: the ACL lines, and a file the plugin would not load', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'mw-acl-ds-'));
    try {
      const good = join(dir, 'ds.json');
      writeFileSync(good, '{\n"roles": [\n {"rolename": "r",\n  "acls": [\n   {"acltype": "publishClientSend", "topic": "a", "allow": true}\n  ]}\n],\n"clients": [{"username": "u", "roles": [{"rolename": "r"}]}]\n}\n');
      const e = loadAclSetup({ dynsec: [good] }).evaluators[0]!;
      const d = e.evaluate({ username: 'u' }, 'write', 'a');
      assert.equal(d.allowed, true);
      assert.equal(d.rule!.loc.line, 5);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"roles": [\n  {"rolename": "a",\n}');
      assert.throws(() => loadAclSetup({ dynsec: [bad] }), (x: Error) => x instanceof AclInputError && /bad\.json.*would not load/.test(x.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the loader: a file that cannot be read or told apart is a clear error', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'mw-acl-in-'));
    try {
      assert.throws(() => loadAclSetup({ aclFile: [join(dir, 'missing')] }), (e: Error) => e instanceof AclInputError && /cannot read ACL file .*missing: ENOENT/.test(e.message));
      writeFileSync(join(dir, 'notes.txt'), 'hello\n');
      assert.throws(() => loadAclSetup({ configs: [join(dir, 'notes.txt')] }), (e: Error) => e instanceof AclInputError && /cannot tell what kind of file/.test(e.message));
      writeFileSync(join(dir, 'acl'), 'user a\ntopic read a/#\nbogus line\n');
      const s = loadAclSetup({ aclFile: [join(dir, 'acl')] });
      assert.ok(s.notes.some((n) => /acl:3: .*refuses to start/.test(n)), JSON.stringify(s.notes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
