/**
 * Reconcile benchmark: 100,000 customers loaded as fixtures into an emulator running in its own
 * process, and the source CSV they were "imported" from; `reconcile` of the CSV against them
 * (auto strategy: the walk), beside an export of the same records in the same run, the export's
 * time being the baseline (target: reconcile within 1.5x of it). Rounds alternate so neither
 * side gets the warm machine. Not a test: it prints figures and returns them.
 *
 *   npx tsx test/bench/reconcile-bench.ts     (or `npm run bench -- reconcile`)
 */
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRecords } from '../../src/export/export-records.js';
import { serveFixtures } from './serve-child.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { CUSTOMER_HEADER, CUSTOMER_MAPPING, csvText, customerFixtures, customerRows } from '../integration/reconcile/helpers.js';

const CUSTOMERS = Number(process.env['RECONCILE_BENCH_CUSTOMERS'] ?? 100_000);
const ROUNDS = Number(process.env['RECONCILE_BENCH_ROUNDS'] ?? 2);
const CONCURRENCY = 4;
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

export interface ReconcileBenchResult {
  readonly customers: number;
  readonly reconcileMs: number;
  readonly reconcileRowsPerSecond: number;
  readonly reconcileRequests: number;
  readonly exportMs: number;
  readonly exportRecordsPerSecond: number;
  readonly exportRequests: number;
  /** reconcile time / export time, best round of each. */
  readonly ratio: number;
  /** Peak RSS of this process during a reconcile, MB. */
  readonly peakRssMb: number;
}

export async function run(): Promise<ReconcileBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wapi-reconcile-bench-'));
  const fixtures = join(dir, 'customers.json');
  writeFileSync(fixtures, JSON.stringify({ customers: customerFixtures(CUSTOMERS) }));
  const source = join(dir, 'people.csv');
  writeFileSync(source, csvText(CUSTOMER_HEADER, customerRows(CUSTOMERS)));
  const mapping = join(dir, 'people.yaml');
  writeFileSync(mapping, CUSTOMER_MAPPING);
  const { url, child } = await serveFixtures(fixtures);
  const exports: Array<{ ms: number; requests: number }> = [];
  const reconciles: Array<{ ms: number; requests: number; readMs: number; compareMs: number }> = [];
  let peakRss = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const exported = await exportRecords({ object: 'customer', out: join(dir, `export-${round}.csv`), url, credentials: CREDENTIALS, concurrency: CONCURRENCY });
      if (exported.exitCode !== 0 || exported.records !== CUSTOMERS) throw new Error(`export incomplete: ${JSON.stringify(exported)}`);
      exports.push({ ms: exported.elapsedMs, requests: exported.requests });

      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      try {
        const summary = await reconcile({
          file: source,
          mapping,
          connection: { url, credentials: CREDENTIALS },
          out: join(dir, `reconcile-${round}`),
          state: join(dir, 'state.sqlite'),
          concurrency: CONCURRENCY,
          cwd: dir,
        });
        if (summary.exitCode !== 0 || summary.same !== CUSTOMERS) throw new Error(`reconcile not clean: ${JSON.stringify(summary)}`);
        reconciles.push({ ms: summary.elapsedMs, requests: summary.requests, ...summary.timings });
      } finally {
        clearInterval(sampler);
      }
    }
    const best = <T extends { ms: number }>(runs: T[]): T => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const e = best(exports);
    const r = best(reconciles);
    const result: ReconcileBenchResult = {
      customers: CUSTOMERS,
      reconcileMs: r.ms,
      reconcileRowsPerSecond: Math.round(CUSTOMERS / (r.ms / 1000)),
      reconcileRequests: r.requests,
      exportMs: e.ms,
      exportRecordsPerSecond: Math.round(CUSTOMERS / (e.ms / 1000)),
      exportRequests: e.requests,
      ratio: Math.round((r.ms / e.ms) * 100) / 100,
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    };
    console.log(
      [
        `reconcile bench: ${CUSTOMERS} source rows against ${CUSTOMERS} customers, concurrency ${CONCURRENCY}, best of ${ROUNDS} rounds each`,
        `  reconcile: ${result.reconcileMs} ms, ${result.reconcileRowsPerSecond} rows/s, ${result.reconcileRequests} requests (rounds: ${reconciles.map((x) => x.ms).join(', ')} ms; best: both sides read in ${r.readMs} ms, joined and written in ${r.compareMs} ms)`,
        `  export:    ${result.exportMs} ms, ${result.exportRecordsPerSecond} records/s, ${result.exportRequests} requests (rounds: ${exports.map((x) => x.ms).join(', ')} ms)`,
        `  reconcile / export time: ${result.ratio} (target: at most 1.5)`,
        `  peak RSS of the process during reconcile: ${result.peakRssMb} MB`,
      ].join('\n'),
    );
    return result;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
