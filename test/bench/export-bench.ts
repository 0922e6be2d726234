/**
 * Export benchmark (issue 5): 100,000 customers loaded as fixtures into an emulator running in
 * its own process, exported to CSV; the rate is compared with the raw rate autocannon gets from
 * the same emulator for the very same GET requests (their XML bodies, replayed in order). Not a
 * test: it prints figures and returns them.
 *
 *   npx tsx test/bench/export-bench.ts        (or `npm run bench`, which runs every bench)
 */
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRecords } from '../../src/export/export-records.js';
import { serveFixtures } from './serve-child.js';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';
import { buildHistory } from '../integration/export/history.js';

const CUSTOMERS = Number(process.env['EXPORT_BENCH_CUSTOMERS'] ?? 100_000);
const CONCURRENCY = Number(process.env['EXPORT_BENCH_CONCURRENCY'] ?? 4);
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
/** The part of autocannon's API used here (the package ships no types). */
type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { total: number }; duration: number; non2xx: number; errors: number }>;


export interface ExportBenchResult {
  readonly customers: number;
  readonly concurrency: number;
  readonly records: number;
  readonly requests: number;
  readonly requestsPerRecord: number;
  /** ITEMs parsed per record written (1 is no waste). */
  readonly itemsPerRecord: number;
  readonly exportMs: number;
  readonly recordsPerSecond: number;
  readonly rawRequestsPerSecond: number;
  /** Records per second the raw request rate would carry at the export's records per request. */
  readonly rawRecordsPerSecond: number;
  readonly ratio: number;
}

export async function run(): Promise<ExportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wapi-export-bench-'));
  const fixtures = join(dir, 'customers.json');
  writeFileSync(fixtures, JSON.stringify({ customers: buildHistory({ customers: CUSTOMERS, days: 1000, seed: 42 }).customers }));
  const { url, child } = await serveFixtures(fixtures);
  try {
    const bodies: string[] = [];
    const summary = await exportRecords({
      object: 'customer',
      out: join(dir, 'customers.csv'),
      url,
      credentials: CREDENTIALS,
      concurrency: CONCURRENCY,
      onQuery: (tags) => bodies.push(encodeForm(buildRequest(CREDENTIALS, { object: 'CUSTOMER', action: 'GET', tags }))),
    });
    if (summary.exitCode !== 0 || summary.records !== CUSTOMERS) throw new Error(`export incomplete: ${JSON.stringify(summary)}`);

    // The same requests, replayed by autocannon over as many keep-alive connections.
    const autocannon = ((await import('autocannon' as string)) as { default: Autocannon }).default;
    const cannon = await autocannon({
      url,
      method: 'POST',
      connections: CONCURRENCY,
      amount: Math.max(bodies.length * 3, 300),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      requests: bodies.map((body) => ({ method: 'POST', body })),
    });
    if (cannon.non2xx > 0 || cannon.errors > 0) throw new Error(`autocannon saw ${cannon.non2xx} non-2xx replies and ${cannon.errors} errors`);
    const rawRequestsPerSecond = cannon.requests.total / (cannon.duration || 1);
    const recordsPerSecond = summary.records / (summary.elapsedMs / 1000);
    const recordsPerRequest = summary.records / summary.requests;
    const result: ExportBenchResult = {
      customers: CUSTOMERS,
      concurrency: CONCURRENCY,
      records: summary.records,
      requests: summary.requests,
      requestsPerRecord: summary.requestsPerRecord ?? 0,
      itemsPerRecord: Math.round((summary.itemsReceived / summary.records) * 100) / 100,
      exportMs: summary.elapsedMs,
      recordsPerSecond: Math.round(recordsPerSecond),
      rawRequestsPerSecond: Math.round(rawRequestsPerSecond),
      rawRecordsPerSecond: Math.round(rawRequestsPerSecond * recordsPerRequest),
      ratio: Math.round((recordsPerSecond / (rawRequestsPerSecond * recordsPerRequest)) * 100) / 100,
    };
    console.log(
      [
        `export bench: ${result.records} customers in ${result.exportMs} ms at concurrency ${CONCURRENCY}: ${result.recordsPerSecond} records/s`,
        `  ${result.requests} requests (${result.requestsPerRecord} per record, ideal ${(1 / 1000).toFixed(3)} at max-items 1000), ${result.itemsPerRecord} ITEMs read per record`,
        `  raw GET rate for the same requests (autocannon, ${CONCURRENCY} connections): ${result.rawRequestsPerSecond} req/s = ${result.rawRecordsPerSecond} records/s`,
        `  export / raw: ${result.ratio}`,
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
