/**
 * A real headless Chromium (Debian's `chromium`, driven by puppeteer-core) for the
 * HTML report tests. Every page records the requests it makes besides the report file
 * itself (all are aborted: a report must not fetch anything), its console errors and
 * uncaught exceptions (a Content-Security-Policy violation is a console error too).
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function chromiumPath(): string | undefined {
  for (const c of [process.env.CHROMIUM_BIN, ...CANDIDATES]) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** For node:test `{ skip }`: false when Chromium is there; missing in CI is an error, never a skip. */
export function browserSkipReason(): string | false {
  if (chromiumPath()) return false;
  if (isCi()) throw new Error('chromium not found but CI is set: install it (apt-get install chromium; .ci/run does) instead of skipping the browser tests');
  return 'chromium not installed (apt-get install chromium, or set CHROMIUM_BIN): the HTML report browser tests need a real browser';
}

export function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium not found');
  return puppeteer.launch({
    executablePath,
    headless: true,
    // Root in CI: Chromium's sandbox needs user namespaces it may not have there.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-component-update'],
    timeout: 60_000,
  });
}

export interface OpenedReport {
  page: Page;
  /** Requests other than the report file (each one aborted). */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Milliseconds from navigation start until the page's script set data-ready. */
  readyMs: number;
}

/** Open a report file from file:// and wait until its script has rendered the tables. */
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (req.url() === url) void req.continue();
    else {
      requests.push(req.url());
      void req.abort();
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${(e as Error).message}`));
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
  return { page, requests, errors, readyMs: Math.round(performance.now() - t0) };
}

/** Where screenshots go: test-artifacts/ in the checkout (gitignored). */
export function artifactPath(name: string): string {
  const dir = new URL('../../test-artifacts/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
