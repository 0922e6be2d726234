import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { exportRecords, type ExportSummary } from '../../../src/export/export-records.js';
import { runCli } from '../../../src/cli/program.js';
import { buildHistory } from './history.js';
import { CREDENTIALS, readCsv, readJson, tempDir } from './helpers.js';

const history = buildHistory({ customers: 200, cases: 200, days: 60, seed: 3 });
let emulator: RunningEmulator;
const tmp = tempDir();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, maxItems: 7, fixtures: history });
});
afterAll(async () => {
  await emulator.close();
  tmp.remove();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const password = join(tmp.dir, 'password');
  writeFileSync(password, 'john123\n', { mode: 0o600 });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += String(c)));
  err.on('data', (c) => (stderr += String(c)));
  const code = await runCli(
    ['node', 'wapi-bulk', 'export', ...args, '--url', emulator.url, '--tenant', 'AcmeJets', '--username', 'johnd', '--password-file', password],
    { stdout: out, stderr: err },
  );
  return { code, stdout, stderr };
}

describe('export failures are reported, never hidden', () => {
  it('creates the folder of --out when it does not exist yet', async () => {
    // Regression: the errors file was opened before anything made its folder, and the ENOENT
    // escaped as an unhandled rejection that killed the process.
    const out = join(tmp.dir, 'nested', 'deeper', 'customers.csv');
    const { code } = await cli(['customer', '--out', out, '--max-items', '7']);
    expect(code).toBe(0);
    expect(readCsv(out)).toHaveLength(200);
    expect(existsSync(join(tmp.dir, 'nested', 'deeper', 'customers.errors.csv'))).toBe(true);
  });

  it('exits 2 with one line when --out names a folder', async () => {
    const { code, stderr } = await cli(['customer', '--out', tmp.dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^wapi-bulk: --out .* is a folder \(give the path of the CSV file to write/);
  });

  it('exits 2 with one line when the folder of --out cannot be made', async () => {
    const blocker = join(tmp.dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const { code, stderr } = await cli(['customer', '--out', join(blocker, 'customers.csv')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^wapi-bulk: cannot create the folder of --out .*(EEXIST|ENOTDIR)/);
  });

  it('reports a count that does not match TOTAL (here: --max-items above the server cap) with exit 1', async () => {
    // The server caps replies at 7; told 50, the exporter takes every 7-record reply as whole.
    const out = join(tmp.dir, 'short.csv');
    const { code, stderr, stdout } = await cli(['customer', '--out', out, '--max-items', '50']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/but its TOTAL is 200/);
    expect(stdout).toMatch(/MISMATCH/);
    const summary = readJson<ExportSummary>(join(tmp.dir, 'short.summary.json'));
    expect(summary.countMatches).toBe(false);
    expect(summary.apiTotal).toBe(200);
    expect(summary.records).toBeLessThan(200);
    expect(summary.exitCode).toBe(1);
  });

  it('writes a range that failed after retries to the errors file, and exits 1', async () => {
    // HTTP 500 on some requests, no retries: a few queries fail. The fault generator is seeded;
    // a seed whose faults hit the login or the summary cannot start (exit 2) and is skipped.
    let summary: ExportSummary | undefined;
    for (let seed = 1; seed < 20 && summary === undefined; seed++) {
      const faulty = await startEmulator({ port: 0, maxItems: 7, fixtures: history, failRate: 0.1, seed });
      try {
        summary = await exportRecords({ object: 'case', out: join(tmp.dir, `faulty-${seed}.csv`), url: faulty.url, credentials: CREDENTIALS, maxItems: 7, concurrency: 1, retries: 0 });
      } catch (error) {
        expect((error as { code?: string }).code).toBe('WAPI_HTTP_STATUS');
      } finally {
        await faulty.close();
      }
    }
    expect(summary).toBeDefined();
    const s = summary as ExportSummary;
    expect(s.failedRanges).toBeGreaterThan(0);
    expect(s.exitCode).toBe(1);
    const errors = readCsv(s.errorsFile as string);
    expect(errors).toHaveLength(s.failedRanges);
    for (const line of errors) {
      expect(line['code']).toBe('WAPI_HTTP_STATUS');
      expect(line['message']).toMatch(/HTTP 500/);
      expect(line['query']).not.toBe('');
    }
    // The bookmark-free run still wrote what it could read, in order.
    const ids = readCsv(s.out).map((r) => Number(r['CASENUM']));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('exits 0 with the files beside the output, 2 when it cannot start', async () => {
    const ok = await cli(['faqcategory', '--out', join(tmp.dir, 'cats.csv')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/faqcategory: 0 records/);
    for (const f of ['cats.csv', 'cats.errors.csv', 'cats.summary.json']) expect(existsSync(join(tmp.dir, f))).toBe(true);

    const badDate = await cli(['case', '--out', join(tmp.dir, 'x.csv'), '--created-from', '2024-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--created-from "2024-02-30" is not a date/);

    const badObject = await cli(['invoice', '--out', join(tmp.dir, 'x.csv')]);
    expect(badObject.code).toBe(2);

    const wrongPassword = join(tmp.dir, 'wrong');
    writeFileSync(wrongPassword, 'nope', { mode: 0o600 });
    const out = new PassThrough();
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (c) => (stderr += String(c)));
    const code = await runCli(
      ['node', 'wapi-bulk', 'export', 'case', '--out', join(tmp.dir, 'denied.csv'), '--url', emulator.url, '--tenant', 'AcmeJets', '--username', 'johnd', '--password-file', wrongPassword],
      { stdout: out, stderr: err },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/Invalid login parameters/);
    // Nothing half-written is left behind as if it were an export.
    expect(existsSync(join(tmp.dir, 'denied.csv'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'denied.csv.partial'))).toBe(false);
  });

  for (const object of ['customer', 'case']) {
    it(`an AbortSignal cancels an export of ${object}s: WAPI_ABORTED, no file left behind, nothing counted as a failed range`, async () => {
      const out = join(tmp.dir, `cancelled-${object}.csv`);
      const stop = new AbortController();
      let queries = 0;
      const exporting = exportRecords({
        object,
        out,
        url: emulator.url,
        credentials: CREDENTIALS,
        maxItems: 7,
        signal: stop.signal,
        onQuery: () => {
          if (++queries === 5) stop.abort();
        },
      });
      await expect(exporting).rejects.toMatchObject({ code: 'WAPI_ABORTED' });
      expect(queries).toBeGreaterThanOrEqual(5);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
      expect(existsSync(out.replace(/\.csv$/, '.summary.json'))).toBe(false);
      expect(existsSync(out.replace(/\.csv$/, '.errors.csv'))).toBe(false);
    });
  }
});
