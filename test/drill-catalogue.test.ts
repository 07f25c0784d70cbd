/**
 * The built-in drill catalogue (drills/*.yaml at the repository root, shipped in the package): every file
 * is a valid drill, names inject kinds of the registry with valid parameters, fits its own safety caps,
 * names real checks, and together the drills rehearse every item of the MQTT 5 specification's detection
 * list (section 5.4.8). Reads whatever is in drills/, so drills added later are held to the same rules.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { CATALOGUE } from '../src/checks/index.js';
import { DrillFileSchema, MQTT5_DETECTIONS, type DrillFile } from '../src/drill/model.js';
import { injectKind } from '../src/drill/inject/index.js';

const dir = path.join(import.meta.dirname, '..', 'drills');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

function load(file: string): DrillFile {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const r = DrillFileSchema.safeParse(parse(text));
  assert.ok(r.success, `${file}: ${r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

test('the catalogue has at least seven drills, each valid against the drill schema, its id its file name', () => {
  assert.ok(files.length >= 7, `${files.length} drills`);
  const ids = new Set<string>();
  for (const f of files) {
    const d = load(f);
    assert.equal(`${d.id}.yaml`, f, `${f}: id ${d.id}`);
    assert.ok(!ids.has(d.id), `duplicate drill id ${d.id}`);
    ids.add(d.id);
    assert.ok(d.steps.every((s) => s.expect.length > 0), `${f}: every step states what the defences must do`);
    assert.ok(d.safety.targets.every((t) => t === 'loopback' || t === 'lab'), `${f}: a built-in drill goes to loopback and the lab only`);
  }
});

test('every inject names a registered kind, its parameters validate, and the sum of demands fits the safety caps', () => {
  for (const f of files) {
    const d = load(f);
    let connections = 0;
    let failedLogins = 0;
    for (const step of d.steps) {
      const { kind, ...params } = step.inject;
      const k = injectKind(kind);
      assert.ok(k, `${f}: step ${step.name}: unknown inject kind ${kind}`);
      const p = k.params.safeParse(params);
      assert.ok(p.success, `${f}: step ${step.name}: ${p.success ? '' : p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const demand = k.demand(p.data);
      connections += demand.connections;
      failedLogins += demand.failedLogins;
      // The drill's detection items include what its injects produce.
      for (const m of k.mqtt5) assert.ok(d.mqtt5.includes(m), `${f}: ${kind} produces ${m}, which the drill does not list`);
    }
    // Steady-state probes run twice (before and after), a connection each.
    const steady = 2 * d.steady.length;
    assert.ok(connections + steady <= d.safety.maxConnections, `${f}: injects need ${connections} connections + ${steady} for steady state, the cap is ${d.safety.maxConnections}`);
    assert.ok(failedLogins <= d.safety.maxFailedLogins, `${f}: injects need ${failedLogins} failed logins, the cap is ${d.safety.maxFailedLogins}`);
  }
});

test('every item of the MQTT 5 detection list is rehearsed by some drill', () => {
  const covered = new Set(files.flatMap((f) => load(f).mqtt5));
  const missing = MQTT5_DETECTIONS.filter((m) => !covered.has(m.id)).map((m) => m.title);
  assert.deepEqual(missing, [], `not rehearsed: ${missing.join(', ')}`);
});

test('every check a drill names exists in the check catalogue', () => {
  const ids = new Set(CATALOGUE.map((c) => c.meta.id));
  for (const f of files) {
    const d = load(f);
    assert.ok(d.checks.length > 0, `${f}: names the checks it exercises`);
    for (const id of d.checks) assert.ok(ids.has(id), `${f}: unknown check ${id}`);
  }
});

test('broker-log patterns compile, and match the Mosquitto lines they are written for', () => {
  const samples = [
    '1796566711: Client <unknown> disconnected, not authorised.',
    '1796566711: Client mqtt-warden-drill-guess-0a1b2c3d4e5f [127.0.0.2:40312] disconnected: not authorised.',
    '1796566711: Client mqtt-warden-drill-flap-8c8acef6adf1 closed its connection.',
  ];
  for (const f of files) {
    for (const step of load(f).steps) {
      for (const e of step.expect) {
        if (e.kind !== 'broker-log') continue;
        const re = new RegExp(e.pattern);
        assert.ok(samples.some((s) => re.test(s)), `${f}: step ${step.name}: ${e.pattern} matches none of the known Mosquitto lines`);
        // A normal DISCONNECT is not an abnormal termination, and a login is not a refusal.
        assert.ok(!re.test('1796566711: Client mqtt-warden-drill-x disconnected.'), `${f}: ${e.pattern} matches a normal disconnect`);
      }
    }
  }
});
