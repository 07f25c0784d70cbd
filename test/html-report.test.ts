/**
 * The HTML report (-f html) opened in a real headless Chromium: the report of a real
 * audit of a real Mosquitto shows the JSON report's numbers, its filters and sorting
 * work, it fetches nothing and logs no error, hostile broker text (a topic name, a
 * version banner with <script>) is shown as text, it fits a phone and prints; a fleet
 * report of 1,000 endpoints opens quickly. Screenshots go to test-artifacts/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser } from 'puppeteer-core';
import { CATALOGUE } from '../src/checks/index.js';
import { renderReport } from '../src/reporters/index.js';
import { escapeHtml, renderHtml, scriptJson } from '../src/reporters/html.js';
import { summarize } from '../src/core/report.js';
import { SEVERITIES, type CheckResult, type Report } from '../src/core/types.js';
import { audit } from './helpers/audit.js';
import { startAedes, type AedesBroker } from './helpers/aedes.js';
import { artifactPath, browserSkipReason, launchBrowser, openReport } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import { fixtureReport } from './helpers/report.js';

const catalogue = CATALOGUE.map((c) => c.meta);
const tmp = mkdtempSync(join(tmpdir(), 'mqtt-warden-html-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const HOSTILE_TOPIC = 'warden/<script>window.pwned=1</script>/x';
const HOSTILE_PAYLOAD = '<img src=x onerror="window.pwned=2">';
const HOSTILE_VERSION = 'mosquitto version 2.0.99 </script><script>window.pwned=3</script><!--';

/** The report file, kept under test-artifacts/ beside the screenshots. */
function writeHtml(name: string, report: Report): string {
  const file = artifactPath(name);
  writeFileSync(file, renderReport('html', report, { color: false, catalogue }));
  return file;
}

type JsonReport = Report & { $schema: string };

describe('HTML report text (no browser)', () => {
  test('hostile text never becomes markup: only the page\'s two script elements, every < in the data escaped', () => {
    const hostile: CheckResult[] = catalogue.slice(0, 3).map((m, i) => ({
      checkId: m.id,
      name: m.name,
      title: m.title,
      strategy: m.strategy,
      severity: m.severity,
      status: i ? 'FAIL' : 'PASS',
      subject: 'mqtt://h<b>:1883',
      location: { uri: 'mqtt://h<b>:1883', kind: 'target' },
      message: `mqtt://h<b>:1883 says ${HOSTILE_VERSION}`,
      evidence: { topic: HOSTILE_TOPIC, payload: HOSTILE_PAYLOAD },
      remediation: m.remediation,
      references: m.references,
      intrusive: false,
      fingerprint: String(i).repeat(64),
    }));
    const report = fixtureReport(hostile, { notes: ['<script>alert(1)</script>'], targets: [{ uri: 'mqtt://h<b>:1883', explicit: true }] });
    const html = renderHtml(report);
    assert.equal(html.match(/<script/gi)?.length, 2, 'exactly the data element and the page script');
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.doesNotMatch(html, /<b>|<img|<!--/);
    assert.match(html, /mqtt:\/\/h&#60;b&#62;:1883/);
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&`), '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;');
    assert.equal(JSON.parse(scriptJson({ s: '</script><!-- \u2028 &' })).s, '</script><!-- \u2028 &');
    assert.doesNotMatch(scriptJson({ s: '</script>' }), /</);
  });
});

describe('HTML report in a real browser', { skip: browserSkipReason() || mosquittoSkipReason() }, () => {
  let browser: Browser;
  let broker: MosquittoBroker;
  let aedes: AedesBroker;
  let report: Report;
  let json: JsonReport;
  let file: string;

  before(async () => {
    [browser, broker] = await Promise.all([
      launchBrowser(),
      startMosquitto({ listeners: [{ kind: 'mqtt' }, { kind: 'mqtt' }], allowAnonymous: true }),
    ]);
    // A retained message whose topic and payload are markup: the report shows them with --show-payloads.
    const client = await mqtt.connectAsync(broker.ports[0]!.url, { reconnectPeriod: 0, connectTimeout: 3000 });
    await client.publishAsync(HOSTILE_TOPIC, HOSTILE_PAYLOAD, { retain: true, qos: 1 });
    await client.endAsync();
    report = await audit(broker.ports.map((p) => p.url), { showPayloads: true });
    json = JSON.parse(renderReport('json', report, { color: false, catalogue })) as JsonReport;
    file = writeHtml('mosquitto.html', report);
  });
  after(async () => {
    await browser?.close();
    await broker?.stop();
    await aedes?.stop();
  });

  test('the summary equals the JSON report; no request, no console error; a screenshot', async () => {
    const { page, requests, errors } = await openReport(browser, file);
    try {
      const cards = await page.$$eval('[data-count]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-count'), Number(e.textContent!.replace(/,/g, ''))])));
      const s = json.summary;
      assert.ok(s.FAIL > 0 && s.PASS > 0, JSON.stringify(s));
      assert.deepEqual(cards, {
        total: s.PASS + s.FAIL + s.SKIP + s.ERROR,
        FAIL: s.FAIL,
        ERROR: s.ERROR,
        SKIP: s.SKIP,
        PASS: s.PASS,
        suppressed: s.suppressed,
        notApplicable: s.notApplicable,
        ...Object.fromEntries(SEVERITIES.map((x) => [`sev-${x}`, s.failuresBySeverity[x]])),
      });
      // The per-strategy table, against counts made here from the JSON results.
      const cells = await page.$$eval('td[data-strategy]', (els) => els.map((e) => [`${e.getAttribute('data-strategy')}/${e.getAttribute('data-severity')}`, Number(e.textContent)] as const));
      for (const [key, n] of cells) {
        const [strategy, severity] = key.split('/');
        assert.equal(n, json.results.filter((r) => r.strategy === strategy && r.severity === severity && r.status === 'FAIL' && !r.suppression).length, key);
      }
      assert.equal(await page.$eval('#shown-count', (e) => Number(e.getAttribute('data-matching'))), json.results.length);
      assert.equal(await page.$$eval('#findings-body tr', (rows) => rows.length), json.results.length);
      // Two endpoints: the fleet table and the matrix (one row per subject, a coloured cell per result).
      const subjects = new Set(json.results.map((r) => r.subject));
      assert.equal(await page.$$eval('#matrix tbody tr', (rows) => rows.length), subjects.size);
      assert.equal(await page.$$eval('#matrix td[data-check]', (tds) => tds.length), new Set(json.results.map((r) => `${r.subject} ${r.checkId}`)).size);
      await page.screenshot({ path: artifactPath('html-report-mosquitto.png'), fullPage: true });
      assert.deepEqual(requests, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('filters change the visible rows; sorting by a column orders them', async () => {
    const { page, errors } = await openReport(browser, file);
    try {
      const visible = () => page.$$eval('#findings-body tr', (rows) => rows.map((r) => ({ status: r.getAttribute('data-status'), check: r.querySelector('.c-check b')!.textContent, place: r.querySelector('.c-place')!.textContent })));
      await page.select('select[name=status]', 'FAIL');
      let rows = await visible();
      assert.equal(rows.length, json.summary.FAIL);
      assert.ok(rows.every((r) => r.status === 'FAIL'));
      await page.select('select[name=status]', '');
      await page.select('select[name=check]', 'ACC-002');
      rows = await visible();
      assert.equal(rows.length, json.results.filter((r) => r.checkId === 'ACC-002').length);
      assert.ok(rows.length > 0 && rows.every((r) => r.check === 'ACC-002'));
      const target = broker.ports[1]!.url;
      await page.type('input[name=target]', target);
      rows = await visible();
      assert.deepEqual(rows.map((r) => r.place), [target]);
      await page.select('select[name=strategy]', 'tls');
      assert.equal((await visible()).length, 0);
      await page.click('button[type=reset]');
      await page.waitForFunction((n) => document.querySelectorAll('#findings-body tr').length === n, {}, json.results.length);
      await page.select('select[name=severity]', 'high');
      rows = await visible();
      assert.equal(rows.length, json.results.filter((r) => r.severity === 'high').length);
      await page.click('button[type=reset]');
      await page.click('th[data-sort=check] button');
      rows = await visible();
      const ids = rows.map((r) => r.check!);
      assert.deepEqual(ids, [...ids].sort());
      assert.equal(await page.$eval('th[data-sort=check]', (e) => e.getAttribute('aria-sort')), 'ascending');
      await page.click('th[data-sort=check] button');
      assert.equal((await visible())[0]!.check, [...ids].sort().at(-1));
      // A matrix cell lists its subject's results of that check.
      await page.click(`#matrix td[data-check="ACC-001"][data-subject="${broker.ports[0]!.url}"]`);
      rows = await visible();
      assert.deepEqual(rows.map((r) => `${r.check} ${r.place}`), [`ACC-001 ${broker.ports[0]!.url}`]);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('a topic name and payload with <script> are shown as text, never run', async () => {
    const acc002 = json.results.find((r) => r.checkId === 'ACC-002' && r.subject === broker.ports[0]!.url)!;
    assert.ok(JSON.stringify(acc002.evidence).includes(HOSTILE_TOPIC), `the audit did not see the hostile topic: ${JSON.stringify(acc002.evidence)}`);
    const { page, errors, requests } = await openReport(browser, file);
    try {
      await page.select('select[name=check]', 'ACC-002');
      await page.type('input[name=target]', broker.ports[0]!.url);
      // A DOM click: the sticky table header may cover the row where a mouse click would land.
      await page.$eval('#findings-body details summary', (e) => (e as HTMLElement).click());
      await page.waitForSelector('#findings-body details .more[data-filled]');
      const text = await page.$eval('#findings-body details .more', (e) => e.textContent);
      assert.ok(text!.includes(HOSTILE_TOPIC), text!);
      // Evidence is shown as JSON: the payload's quotes are escaped there.
      assert.ok(text!.includes(JSON.stringify(HOSTILE_PAYLOAD)), text!);
      const state = await page.evaluate(() => ({
        pwned: typeof (window as unknown as { pwned?: number }).pwned,
        scripts: document.scripts.length,
        images: document.images.length,
      }));
      assert.deepEqual(state, { pwned: 'undefined', scripts: 2, images: 0 });
      // The payload's <img src=x> would have been a request.
      assert.deepEqual(requests, []);
      assert.deepEqual(errors, []);
      await page.screenshot({ path: artifactPath('html-report-hostile-topic.png'), fullPage: false });
    } finally {
      await page.close();
    }
  });

  test('a broker version banner with </script><script> is shown as text', async () => {
    aedes = await startAedes();
    await new Promise<void>((resolve, reject) =>
      aedes.broker.publish({ cmd: 'publish', topic: '$SYS/broker/version', payload: Buffer.from(HOSTILE_VERSION), qos: 0, retain: true, dup: false }, (e) => (e ? reject(e) : resolve())),
    );
    const r = await audit([aedes.url]);
    const upd = r.results.find((x) => x.checkId === 'UPD-001')!;
    assert.equal(upd.status, 'FAIL', upd.message);
    assert.ok(upd.message.includes(HOSTILE_VERSION), upd.message);
    const { page, errors, requests } = await openReport(browser, writeHtml('banner.html', r));
    try {
      await page.select('select[name=check]', 'UPD-001');
      const shown = await page.$eval('#findings-body summary', (e) => e.textContent);
      assert.equal(shown, upd.message);
      assert.equal(await page.evaluate(() => typeof (window as unknown as { pwned?: number }).pwned), 'undefined');
      assert.equal(await page.evaluate(() => document.scripts.length), 2);
      assert.deepEqual(requests, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('phone width: nothing wider than the screen; print: filters hidden, every listed finding opened', async () => {
    const { page, errors } = await openReport(browser, file, { width: 390, height: 844 });
    try {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`);
      await page.screenshot({ path: artifactPath('html-report-phone.png'), fullPage: true });
      await page.select('select[name=status]', 'FAIL');
      await page.emulateMediaType('print');
      assert.equal(await page.$eval('#filters', (e) => getComputedStyle(e).display), 'none');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      assert.ok(pdf.length > 10_000, `PDF of ${pdf.length} bytes`);
      // beforeprint opened and filled every listed finding, with the fix.
      const opened = await page.$$eval('#findings-body details', (ds) => ds.map((d) => (d as HTMLDetailsElement).open && d.querySelector('.fix') !== null));
      assert.ok(opened.length > 0 && opened.every(Boolean), JSON.stringify(opened));
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});

/**
 * A fleet report of 1,000 endpoints: the real verdicts of 20 Mosquitto listeners, replicated to
 * 1,000 endpoints (the subjects rewritten, one in ten made to pass ACC-001), as the audit would
 * report them.
 */
function fleetOf(real: Report, n: number): Report {
  const bySubject = new Map<string, CheckResult[]>();
  for (const r of real.results) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r]);
  const templates = [...bySubject.values()];
  const results: CheckResult[] = [];
  const targets: Report['targets'] = [];
  for (let i = 0; i < n; i++) {
    const template = templates[i % templates.length]!;
    const subject = template[0]!.subject;
    const uri = `mqtt://127.0.${Math.floor(i / 250)}.${(i % 250) + 1}:1883`;
    targets.push({ uri, explicit: true });
    for (const r of template) {
      const swap = (s: string) => s.split(subject).join(uri);
      const passes = r.checkId === 'ACC-001' && i % 10 === 0;
      results.push({
        ...r,
        subject: swap(r.subject),
        message: passes ? `${uri} refuses anonymous clients` : swap(r.message),
        location: { ...r.location, uri: swap(r.location.uri) },
        fingerprint: `${i.toString(16).padStart(8, '0')}${r.fingerprint.slice(8)}`,
        ...(passes ? { status: 'PASS' as const } : {}),
      });
    }
  }
  return { ...real, targets, results, summary: summarize(results, real.summary.notApplicable) };
}

describe('a fleet report of 1,000 endpoints in a real browser', { skip: browserSkipReason() || mosquittoSkipReason() }, () => {
  let browser: Browser;
  let broker: MosquittoBroker;
  before(async () => {
    [browser, broker] = await Promise.all([launchBrowser(), startMosquitto({ listeners: Array.from({ length: 20 }, () => ({ kind: 'mqtt' as const })), allowAnonymous: true })]);
  });
  after(async () => {
    await browser?.close();
    await broker?.stop();
  });

  test('opens in a few seconds; the fleet table groups the identical findings; the matrix has every endpoint', async () => {
    const real = await audit(broker.ports.map((p) => p.url), { concurrency: 20 });
    const fleet = fleetOf(real, 1000);
    const file = writeHtml('fleet.html', fleet);
    const bytes = statSync(file).size;
    const json = renderReport('json', fleet, { color: false, catalogue });
    const { page, errors, requests, readyMs } = await openReport(browser, file);
    try {
      process.stderr.write(`# fleet HTML report: ${fleet.results.length} results, ${(bytes / 1e6).toFixed(2)} MB (JSON ${(json.length / 1e6).toFixed(2)} MB), ready in ${readyMs} ms\n`);
      // Loose bounds: the file is a fraction of the JSON report, and the page opens in seconds, not minutes.
      assert.ok(bytes < json.length / 3, `HTML ${bytes} bytes, JSON ${json.length}`);
      assert.ok(readyMs < 15_000, `ready after ${readyMs} ms`);
      assert.equal(await page.$$eval('#matrix tbody tr', (rows) => rows.length), 1000);
      // ACC-001 failed on the real listeners; replicated, the endpoints with its most common message are one group.
      const acc001Messages = new Map<string, number>();
      for (const r of fleet.results) if (r.checkId === 'ACC-001' && r.status === 'FAIL') acc001Messages.set(r.message, (acc001Messages.get(r.message) ?? 0) + 1);
      const largest = Math.max(...acc001Messages.values());
      assert.ok(largest > 500, JSON.stringify([...acc001Messages]));
      const groups = await page.$$eval('#fleet table.groups tbody tr', (rows) => rows.map((r) => ({ text: r.textContent!, subjects: Number(r.querySelector('[data-group-subjects]')!.textContent!.replace(/,/g, '')) })));
      const acc001 = groups.find((g) => g.text.includes('ACC-001'));
      assert.equal(acc001?.subjects, largest, JSON.stringify(groups.slice(0, 5)));
      assert.equal(await page.$eval('[data-count=FAIL]', (e) => Number(e.textContent!.replace(/,/g, ''))), fleet.summary.FAIL);
      await page.screenshot({ path: artifactPath('html-report-fleet.png'), fullPage: false });
      await page.$eval('#matrix', (e) => e.scrollIntoView());
      await page.screenshot({ path: artifactPath('html-report-fleet-matrix.png'), fullPage: false });
      // Paged: the first page is rendered, the rest on demand.
      const shown = await page.$$eval('#findings-body tr', (rows) => rows.length);
      assert.equal(shown, 200);
      await page.click('#show-more');
      assert.equal(await page.$$eval('#findings-body tr', (rows) => rows.length), 400);
      assert.deepEqual(requests, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});

describe('-f html through the CLI', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
  });
  after(() => broker?.stop());

  const fixture = (p: string) => new URL(`fixtures/${p}`, import.meta.url).pathname;
  test('audit, lint, passwd audit and ports --check write an HTML report with the counts of their summary line', { timeout: 180_000 }, async () => {
    const cases = [
      ['audit', broker.ports[0]!.url, '--no-host', '--no-port-scan'],
      ['lint', fixture('real-configs/mosquitto/docker_2.0_mosquitto-no-auth.conf')],
      ['passwd', 'audit', fixture('real-configs/mosquitto/pwfile.example')],
      ['ports', '--check', '--cluster', fixture('ports/cluster-3.yaml'), '--for', 'emqx1@10.0.0.11'],
    ];
    await Promise.all(
      cases.map(async (args, i) => {
        const out = join(tmp, `cli-${i}.html`);
        const r = await runCli([...args, '-f', 'html', '-o', out]);
        const what = `${args.join(' ')}: exit ${r.code}\n${r.stderr}`;
        assert.equal(r.stdout, '', what);
        const m = /\((\d+) failed, (\d+) errors, (\d+) skipped, (\d+) passed/.exec(r.stderr);
        assert.ok(m, what);
        const html = readFileSync(out, 'utf8');
        assert.match(html, /^<!DOCTYPE html>/);
        const card = (k: string) => Number(new RegExp(`data-count="${k}">([\\d,]+)<`).exec(html)![1]!.replace(/,/g, ''));
        assert.deepEqual([card('FAIL'), card('ERROR'), card('SKIP'), card('PASS')], m.slice(1).map(Number), what);
        assert.equal(r.code, card('sev-medium') + card('sev-high') + card('sev-critical') > 0 ? 1 : card('ERROR') > 0 ? 2 : 0, what);
      }),
    );
    const plan = await runCli(['ports', '--cluster', fixture('ports/cluster-3.yaml'), '-f', 'html']);
    assert.equal(plan.code, 2);
    assert.match(plan.stderr, /-f html is a report format: it goes with --check/);
  });
});
