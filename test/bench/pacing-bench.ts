/**
 * Pacing benchmark (issue "Real tenants": 429 storms). Not a test: it prints figures and
 * returns them.
 *
 * 1. A 429 storm: an import of PACING_BENCH_ROWS rows (default 300) through importCsv at
 *    concurrency 64 against `startEmulator({ rateLimit: 20 })`, which answers 429 past 20
 *    requests in a second. Rows landed (the summary, and the server's own count), the share of
 *    requests answered 429 (target: under 10%), the rate the client settled on, and the useful
 *    rate against the server's limit of 20/s, the baseline.
 * 2. `--rate 50` over 30 s: an import paced at 50 requests/s against an unthrottled emulator;
 *    the rate measured between the first and the last request, over the target (within 5%).
 *
 * Figures come from the client's own debug log (a line per request and per reply, and its
 * stats when it closes), read as JSON lines the way the tests read logs.
 *
 *   npm run bench -- pacing        PACING_BENCH_ROWS=300 PACING_BENCH_SECONDS=30
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { WapiClient } from '../../src/client/wapi-client.js';
import { startEmulator } from '../../src/emulator/index.js';
import { importCsv, type ImportSummary } from '../../src/import/import-csv.js';
import { replySummary } from '../../src/protocol/reply.js';

const ROWS = Number(process.env['PACING_BENCH_ROWS'] ?? 300);
const SECONDS = Number(process.env['PACING_BENCH_SECONDS'] ?? 30);
const LIMIT = 20;
const RATE = 50;
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
const MAPPING = fileURLToPath(new URL('../fixtures/import/customers-add.yaml', import.meta.url));

interface LogLine {
  msg: string;
  time: number;
  httpStatus?: number;
  requests?: number;
  throttled?: number;
  pacing?: { rate: number | null; concurrency: number; slowdowns: number };
}

/** A pino logger at debug whose JSON lines are kept, parsed. */
function recordingLogger() {
  const lines: LogLine[] = [];
  let rest = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = rest + chunk.toString();
      const parts = text.split('\n');
      rest = parts.pop() as string;
      for (const part of parts) if (part !== '') lines.push(JSON.parse(part) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug', base: undefined }, sink), lines };
}

function writeCsv(dir: string, rows: number, prefix: string): string {
  const file = join(dir, `${prefix}.csv`);
  const lines = ['legacy_id,first_name,last_name,email,country,tier,notes'];
  for (let i = 1; i <= rows; i++) lines.push(`${prefix}${i},First${i},Last${i},${prefix}${i}@example.com,US,gold,bench row ${i}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function customerTotal(url: string): Promise<number> {
  const client = new WapiClient({ url, credentials: CREDENTIALS });
  try {
    return replySummary(await client.call({ object: 'CUSTOMER', action: 'GET', tags: [] })).total;
  } finally {
    await client.close();
  }
}

/** The main client's closing stats: the closed client that sent the most requests. */
function closingStats(lines: LogLine[]): LogLine {
  return lines.filter((l) => l.msg === 'client closed').sort((a, b) => (b.requests ?? 0) - (a.requests ?? 0))[0] as LogLine;
}

async function storm(dir: string) {
  const emulator = await startEmulator({ port: 0, rateLimit: LIMIT });
  const { logger, lines } = recordingLogger();
  try {
    const before = await customerTotal(emulator.url);
    const file = writeCsv(dir, ROWS, 'storm');
    const started = performance.now();
    const summary: ImportSummary = await importCsv({
      file,
      mapping: MAPPING,
      out: join(dir, 'storm-out'),
      state: join(dir, 'storm.sqlite'),
      connection: { url: emulator.url, credentials: CREDENTIALS },
      concurrency: 64,
      logger,
    });
    const seconds = (performance.now() - started) / 1000;
    const landed = (await customerTotal(emulator.url)) - before;
    const replies = lines.filter((l) => l.msg === 'reply');
    const refused = replies.filter((l) => l.httpStatus === 429).length;
    const stats = closingStats(lines);
    const requests = replies.length;
    const okPerSecond = (requests - refused) / seconds;
    process.stdout.write(
      [
        `429 storm: ${ROWS} rows at concurrency 64 against --rate-limit ${LIMIT}, in ${seconds.toFixed(1)} s`,
        `  rows landed: ${summary.succeeded} succeeded, ${summary.failed} failed; the server counts ${landed} new customers`,
        `  requests: ${requests} replies, ${refused} of them 429 = ${((100 * refused) / requests).toFixed(1)}% (target: under 10%)`,
        `  settled pace: ${stats.pacing?.rate ?? 'unpaced'} requests/s, ${stats.pacing?.concurrency} at once, after ${stats.pacing?.slowdowns} slowdowns`,
        `  useful rate: ${okPerSecond.toFixed(1)} accepted requests/s = ${(okPerSecond / LIMIT).toFixed(2)} of the server's limit`,
        '',
      ].join('\n'),
    );
    return { rows: ROWS, succeeded: summary.succeeded, failed: summary.failed, landed, requests, refused, share: refused / requests, pacing: stats.pacing, okPerSecond };
  } finally {
    await emulator.close();
  }
}

async function steadyRate(dir: string) {
  const emulator = await startEmulator({ port: 0 });
  const { logger, lines } = recordingLogger();
  try {
    const rows = RATE * SECONDS;
    const file = writeCsv(dir, rows, 'paced');
    await importCsv({
      file,
      mapping: MAPPING,
      out: join(dir, 'paced-out'),
      state: join(dir, 'paced.sqlite'),
      connection: { url: emulator.url, credentials: CREDENTIALS },
      concurrency: 8,
      rate: RATE,
      logger,
    });
    // Every ADD is one request line; the rate is measured between the first and the last.
    const times = lines.filter((l) => l.msg === 'request').map((l) => l.time);
    const spanSeconds = ((times[times.length - 1] as number) - (times[0] as number)) / 1000;
    const measured = (times.length - 1) / spanSeconds;
    process.stdout.write(
      `--rate ${RATE}: ${times.length} requests over ${spanSeconds.toFixed(1)} s = ${measured.toFixed(2)} requests/s; measured / target = ${(measured / RATE).toFixed(3)} (within 5%: 0.95 to 1.05)\n`,
    );
    return { requests: times.length, seconds: spanSeconds, measured, ratio: measured / RATE };
  } finally {
    await emulator.close();
  }
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'wapi-pacing-bench-'));
  try {
    return { storm: await storm(dir), rate: await steadyRate(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
