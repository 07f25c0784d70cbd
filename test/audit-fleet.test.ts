/**
 * Fleet audits: the --concurrency auto rule, the per-host bound of the endpoint
 * scheduler, and many endpoints judged as they complete (same verdicts as one by one).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { autoConcurrency, openFileLimit, INTRUSIVE_AUTO_CONCURRENCY } from '../src/core/concurrency.js';
import { mapLimitGrouped } from '../src/core/collect.js';
import { startMosquitto, mosquittoSkipReason, type MosquittoBroker } from './helpers/mosquitto.js';
import { audit } from './helpers/audit.js';
import { renderJson, renderJsonChunks } from '../src/reporters/json.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('--concurrency auto', () => {
  test('reads the soft open-file limit from /proc/self/limits', () => {
    assert.equal(openFileLimit(LIMITS), 20000);
    assert.equal(openFileLimit(LIMITS.replace('20000                20000', 'unlimited            unlimited')), Number.MAX_SAFE_INTEGER);
    assert.equal(openFileLimit('nothing here'), undefined);
    const own = openFileLimit();
    if (own !== undefined) assert.ok(own > 0);
  });

  test('the smallest of the descriptor, memory and CPU bounds', () => {
    const gib = 1024 ** 3;
    // (20000 - 256) / 2 / 2 = 4936 by descriptors, 5632 by memory, 256 by CPU.
    assert.equal(autoConcurrency({ tls: false, tlsConcurrency: 4, intrusive: false, fdLimit: 20000, freeMemory: 22 * gib, cores: 2 }).value, 256);
    // A default ulimit of 1024: (1024 - 256) / 2 / 2 = 192.
    const fd = autoConcurrency({ tls: false, tlsConcurrency: 4, intrusive: false, fdLimit: 1024, freeMemory: 22 * gib, cores: 8 });
    assert.equal(fd.value, 192);
    assert.match(fd.reason, /file descriptors/);
    // TLS endpoints hold the TLS audit's handshakes too: 768 / 2 / 6 = 64.
    assert.equal(autoConcurrency({ tls: true, tlsConcurrency: 4, intrusive: false, fdLimit: 1024, freeMemory: 22 * gib, cores: 8 }).value, 64);
    const mem = autoConcurrency({ tls: false, tlsConcurrency: 4, intrusive: false, fdLimit: 20000, freeMemory: 100 * 1024 * 1024, cores: 8 });
    assert.equal(mem.value, 25);
    assert.match(mem.reason, /memory/);
    assert.equal(autoConcurrency({ tls: false, tlsConcurrency: 4, intrusive: false, fdLimit: 100, freeMemory: 0, cores: 1 }).value, 1);
    assert.equal(autoConcurrency({ tls: false, tlsConcurrency: 4, intrusive: true, fdLimit: 20000, freeMemory: 22 * gib, cores: 2 }).value, INTRUSIVE_AUTO_CONCURRENCY);
  });
});

test('the endpoint scheduler keeps the global and the per-host bound, results in input order', async () => {
  const items = Array.from({ length: 300 }, (_, i) => ({ i, host: i < 200 ? 'a' : `h${i % 7}` }));
  let running = 0;
  let peak = 0;
  const perHost = new Map<string, number>();
  let peakHost = 0;
  const out = await mapLimitGrouped(items, 40, 5, (x) => x.host, async (x) => {
    running++;
    peak = Math.max(peak, running);
    perHost.set(x.host, (perHost.get(x.host) ?? 0) + 1);
    peakHost = Math.max(peakHost, perHost.get(x.host)!);
    await new Promise((r) => setTimeout(r, 1 + (x.i % 3)));
    perHost.set(x.host, perHost.get(x.host)! - 1);
    running--;
    return x.i * 2;
  });
  assert.deepEqual(out, items.map((x) => x.i * 2));
  assert.ok(peak <= 40, `global peak ${peak}`);
  assert.equal(peakHost, 5);
  assert.equal(peak, 40, 'the global bound is reached with 8 hosts of 5');
  assert.deepEqual(await mapLimitGrouped([], 4, 2, String, async (x) => x), []);
});

describe('a fleet of endpoints', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ listeners: Array.from({ length: 40 }, () => ({ kind: 'mqtt' as const })), allowAnonymous: true });
  });
  after(() => broker?.stop());

  test('many endpoints at once get the verdicts one endpoint gets alone, in the same order', async () => {
    const urls = broker.ports.map((p) => p.url);
    const alone = await audit(urls.slice(0, 1), { concurrency: 1 });
    const fleet = await audit(urls, { concurrency: 40 });
    assert.equal(fleet.targets.length, 40);
    const verdicts = (r: typeof alone, subject: string) => r.results.filter((x) => x.subject === subject).map((x) => `${x.checkId} ${x.status}`);
    const one = verdicts(alone, urls[0]!);
    assert.ok(one.includes('ACC-002 FAIL') && one.includes('ACC-003 FAIL'), one.join(', '));
    for (const u of urls) assert.deepEqual(verdicts(fleet, u), one, u);
    // Check-major order, as before: all ACC-001 results come before the first ACC-002.
    const ids = fleet.results.map((x) => x.checkId);
    assert.ok(ids.lastIndexOf('ACC-001') < ids.indexOf('ACC-002'));
    assert.ok(fleet.notes.some((n) => /not applicable/.test(n)));
    // The JSON report written piece by piece (-o) is the same text as the one rendered whole.
    assert.equal([...renderJsonChunks(fleet, 1000)].join(''), renderJson(fleet));
    assert.equal([...renderJsonChunks({ ...fleet, results: [] })].join(''), renderJson({ ...fleet, results: [] }));
  });
});
