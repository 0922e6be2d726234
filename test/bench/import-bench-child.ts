/**
 * One measurement of test/bench/import-bench.ts, in a fresh process so that its peak RSS
 * (process.resourceUsage().maxRSS) is its own. Prints one JSON line on stdout.
 *
 *   parse <file.csv>                         bare csv-parse, records counted
 *   offline <file.csv> <mapping> <outdir>    importCsv offline: map, validate, write the reports
 *   import <file.csv> <mapping> <outdir> <url> <concurrency>   importCsv against a server
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { importCsv } from '../../src/import/import-csv.js';

const [mode, file, mapping, out, url, concurrency] = process.argv.slice(2);

const started = performance.now();
let rows = 0;
let extra: Record<string, unknown> = {};

if (mode === 'parse') {
  await pipeline(
    createReadStream(file as string),
    parse({ relax_column_count: true, skip_empty_lines: true, bom: true }),
    new Writable({
      objectMode: true,
      highWaterMark: 64,
      write(_record, _enc, cb) {
        rows++;
        cb();
      },
    }),
  );
  rows--; // the header
} else {
  const summary = await importCsv({
    file: file as string,
    mapping: mapping as string,
    out: out,
    state: join(out as string, 'state.sqlite'),
    connection: mode === 'import' ? { url: url as string, credentials: { tenant: 'AcmeJets', username: 'johnd', password: 'john123' } } : undefined,
    concurrency: concurrency === undefined ? undefined : Number(concurrency),
  });
  rows = summary.rows;
  extra = { failed: summary.failed, requests: summary.requests, retries: summary.retries };
}
const elapsedMs = performance.now() - started;
// The kernel's peak resident set size of this process, in kilobytes: no sampling to miss a peak.
const maxRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ mode, rows, elapsedMs, rowsPerSecond: rows / (elapsedMs / 1000), maxRssBytes: maxRss, ...extra })}\n`);
