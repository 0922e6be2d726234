/**
 * report.html in a real browser: a real import against the emulator, its report opened from
 * disk in headless Chromium, the figures it shows read back and compared with summary.json.
 * A screenshot is left in test/browser/artifacts/ (gitignored).
 *
 * Without /usr/bin/chromium a developer's run skips this file and says so; in CI (env CI set, as
 * .ci/run sets it) a missing Chromium fails it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { importCsv, type ImportSummary } from '../../src/import/import-csv.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ROOT = new URL('../../', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test/browser/artifacts');
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

const present = existsSync(CHROMIUM);
const inCi = (process.env['CI'] ?? '') !== '';
if (!present && !inCi) console.warn(`skipping the browser test of report.html: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!present && !inCi)('report.html in Chromium', () => {
  let dir: string;
  let emulator: RunningEmulator;
  let browser: Browser;
  let summary: ImportSummary;
  let reportFile: string;

  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    dir = mkdtempSync(join(tmpdir(), 'wapi-browser-'));
    emulator = await startEmulator({ port: 0 });
    // The customers sample, plus a row whose cells hold markup: it fails (bad email) and so
    // lands in the report's examples.
    const input = join(dir, 'customers.csv');
    const sample = readFileSync(join(ROOT, 'samples/customers.csv'), 'utf8').replace(/\n*$/, '\n');
    const header = sample.split('\n')[0]?.split(',') ?? [];
    const hostile: Record<string, string> = { legacy_id: '9999', first_name: '<script>window.__pwned=1</script>', last_name: '<img src=x onerror="window.__pwned=2">', email: 'not an email', company: '</td></tr></table><h1>injected</h1>' };
    writeFileSync(input, `${sample}${header.map((h) => `"${(hostile[h] ?? '').replace(/"/g, '""')}"`).join(',')}\n`);

    // The import writes report.html itself, beside the reports it summarises.
    summary = await importCsv({
      file: input,
      mapping: join(ROOT, 'mappings/customers.yaml'),
      out: join(dir, 'out'),
      state: join(dir, 'state.sqlite'),
      connection: { url: emulator.url, credentials: CREDENTIALS },
      concurrency: 4,
      progressIntervalMs: 10,
    });
    reportFile = summary.files.report as string;
    expect(reportFile).toBe(join(summary.outDir, 'report.html'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the numbers of summary.json, loads nothing from outside, runs no script from a cell', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const url = pathToFileURL(reportFile).href;
    await page.goto(url);

    const json = JSON.parse(readFileSync(summary.files.summary, 'utf8')) as Record<string, number>;
    const shown = async (id: string) => Number((await page.locator(`[data-count="${id}"] .value`).innerText()).replace(/,/g, ''));
    for (const id of ['rows', 'added', 'modified', 'unchanged', 'skipped', 'failed'] as const) expect(await shown(id), id).toBe(json[id]);
    expect(json['failed']).toBeGreaterThanOrEqual(2);

    const groupCounts = await page.locator('.error-group .count').allInnerTexts();
    expect(groupCounts.reduce((n, t) => n + Number(t.replace(/,/g, '')), 0)).toBe(json['failed']);
    expect(await page.locator('#inconsistent').count()).toBe(0);
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('partial');
    expect(await page.locator('[data-exit-code]').innerText()).toBe('1');

    // The hostile row is text on the page, and nothing it holds ran or was fetched.
    const text = await page.locator('#errors').innerText();
    expect(text).toContain('<script>window.__pwned=1</script>');
    expect(text).toContain('</td></tr></table><h1>injected</h1>');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('h1').count()).toBe(1);
    expect(requested).toEqual([url]);

    // The connection is shown, the password never.
    expect(await page.content()).not.toContain(CREDENTIALS.password);
    expect(await page.locator('#settings').innerText()).toContain(CREDENTIALS.tenant);
    expect(await page.locator('svg.chart polyline.rows').count()).toBe(1);

    await page.screenshot({ path: join(ARTIFACTS, 'run-report.png'), fullPage: true });
    await page.close();
  });
});
