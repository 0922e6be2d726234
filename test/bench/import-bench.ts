/**
 * Import benchmark (issue 4). Not a test: it prints figures and returns them.
 *
 * 1. Offline: a 1,000,000-row customers CSV, bare csv-parse against `validate` without a server
 *    (read, map, validate against the catalogue, write success.csv/errors.csv): rows/s of each,
 *    their ratio (target: within 3x of bare parsing) and the import's peak RSS (target: under
 *    200 MB).
 * 2. Networked: 20,000 rows imported at concurrency 8 into an emulator in its own process,
 *    against the raw rate autocannon gets from a fresh emulator with 8 connections and the same
 *    ADD requests, byte for byte (target: at least 80%).
 *
 * Each measurement runs in a fresh process on JavaScript compiled by tsc (what users run), so
 * its peak RSS is its own and no TypeScript loader is measured.
 *
 *   npm run bench -- import        IMPORT_BENCH_ROWS=1000000 IMPORT_BENCH_NET_ROWS=20000
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyMapping } from '../../src/mapping/apply-mapping.js';
import { loadMapping } from '../../src/mapping/load-mapping.js';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';

/** The slice of autocannon's API used here (the package ships no types). */
type Autocannon = (options: Record<string, unknown>) => Promise<{
  requests: { total: number };
  duration: number;
  non2xx: number;
  errors: number;
}>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROWS = Number(process.env['IMPORT_BENCH_ROWS'] ?? 1_000_000);
const NET_ROWS = Number(process.env['IMPORT_BENCH_NET_ROWS'] ?? 20_000);
const CONCURRENCY = 8;
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAPPING = join(ROOT, 'test/fixtures/import/customers-add.yaml');
const TENANT = join(ROOT, 'samples/tenant.yaml');
const HEADER = ['legacy_id', 'first_name', 'last_name', 'email', 'country', 'tier', 'notes'];
const COUNTRIES = ['US', 'DE', 'FR', 'BR'];
const TIERS = ['gold', 'partner', 'standard', ''];

function row(i: number): string[] {
  return [`B${i}`, `First${i}`, `Last${i}`, `user${i}@example.com`, COUNTRIES[i % 4] as string, TIERS[i % 4] as string, `Note for customer ${i}, with a comma`];
}

const csvLine = (fields: string[]) => `${fields.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')}\n`;

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${HEADER.join(',')}\n`);
  for (let i = 1; i <= rows; i++) {
    if (!out.write(csvLine(row(i)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** tsc the sources and the child script into `dir`, with node_modules reachable from there. */
async function compile(dir: string): Promise<string> {
  const config = join(dir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: ROOT, outDir: join(dir, 'out'), declaration: false, sourceMap: false, noEmitOnError: false },
      include: [join(ROOT, 'src/**/*.ts'), join(ROOT, 'test/bench/import-bench-child.ts')],
    }),
  );
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Type errors elsewhere in a work-in-progress tree do not stop the emit.
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config]).catch(() => undefined);
  const out = join(dir, 'out');
  if (!existsSync(join(out, 'test/bench/import-bench-child.js'))) throw new Error('tsc emitted nothing');
  return out;
}

interface ChildResult {
  rows: number;
  elapsedMs: number;
  rowsPerSecond: number;
  maxRssBytes: number;
  failed?: number;
  requests?: number;
}

async function child(out: string, args: string[]): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(out, 'test/bench/import-bench-child.js'), ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ChildResult;
}

async function serve(out: string): Promise<{ url: string; child: ChildProcess }> {
  const proc = spawn(process.execPath, [join(out, 'src/cli.js'), 'serve', '--port', '0', '--tenant-config', TENANT], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: proc.stdout as NodeJS.ReadableStream })) {
    const m = /listening on (\S+)/.exec(line);
    if (m) return { url: m[1] as string, child: proc };
  }
  throw new Error('the emulator did not start');
}

async function stop(proc: ChildProcess): Promise<void> {
  proc.kill('SIGTERM');
  await once(proc, 'exit');
}

/** The ADD bodies the import sends for rows 1..n, built by the same mapping code. */
async function addBodies(n: number): Promise<string[]> {
  const mapping = await loadMapping(MAPPING);
  const bodies: string[] = [];
  for (let i = 1; i <= n; i++) {
    const fields = row(i);
    const record = Object.fromEntries(HEADER.map((h, j) => [h, fields[j] as string]));
    const { fields: tags } = applyMapping(mapping, record);
    bodies.push(encodeForm(buildRequest(CREDENTIALS, { object: 'CUSTOMER', action: 'ADD', tags })));
  }
  return bodies;
}

async function rawAddRate(url: string, bodies: string[]): Promise<number> {
  let next = 0;
  const { pathname } = new URL(url);
  const result = await autocannon({
    url,
    connections: CONCURRENCY,
    amount: bodies.length,
    requests: [
      {
        method: 'POST',
        path: pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total / (result.duration > 0 ? result.duration : 1);
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} rows/s`;

export interface ImportBenchResult {
  readonly rows: number;
  readonly parseRowsPerSecond: number;
  readonly offlineRowsPerSecond: number;
  readonly offlineRatio: number;
  readonly offlinePeakRssBytes: number;
  readonly netRows: number;
  readonly importRowsPerSecond: number;
  readonly rawAddsPerSecond: number;
  readonly netRatio: number;
}

export async function run(): Promise<ImportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wapi-import-bench-'));
  const print = (line: string) => process.stdout.write(`${line}\n`);
  try {
    print(`compiling with tsc into ${dir} ...`);
    const out = await compile(dir);
    const big = join(dir, 'customers-big.csv');
    await writeCsv(big, ROWS);
    print(`offline: ${ROWS.toLocaleString('en-US')} rows (${mb(readFileSync(big).length)})`);
    const parse = await child(out, ['parse', big]);
    print(`  bare csv-parse              ${rate(parse.rowsPerSecond).padStart(16)}   peak RSS ${mb(parse.maxRssBytes)}`);
    const reports = join(dir, 'offline');
    mkdirSync(reports);
    const offline = await child(out, ['offline', big, MAPPING, reports]);
    if (offline.rows !== ROWS || offline.failed !== 0) throw new Error(`offline run: ${JSON.stringify(offline)}`);
    const offlineRatio = parse.rowsPerSecond / offline.rowsPerSecond;
    print(`  validate (map+check+write)  ${rate(offline.rowsPerSecond).padStart(16)}   peak RSS ${mb(offline.maxRssBytes)}`);
    print(`  bare parsing is ${offlineRatio.toFixed(2)}x faster (target: 3x at most); peak RSS ${mb(offline.maxRssBytes)} (target: under 200 MB)`);
    rmSync(big);

    const small = join(dir, 'customers-net.csv');
    await writeCsv(small, NET_ROWS);
    print(`networked: ${NET_ROWS.toLocaleString('en-US')} rows, concurrency ${CONCURRENCY}, emulator in its own process`);
    const bodies = await addBodies(NET_ROWS);
    let emulator = await serve(out);
    let raw: number;
    try {
      raw = await rawAddRate(emulator.url, bodies);
    } finally {
      await stop(emulator.child);
    }
    print(`  autocannon, same ADDs       ${rate(raw).padStart(16)}`);
    emulator = await serve(out);
    let imported: ChildResult;
    try {
      const netReports = join(dir, 'net');
      mkdirSync(netReports);
      imported = await child(out, ['import', small, MAPPING, netReports, emulator.url, String(CONCURRENCY)]);
    } finally {
      await stop(emulator.child);
    }
    if (imported.rows !== NET_ROWS || imported.failed !== 0) throw new Error(`import run: ${JSON.stringify(imported)}`);
    const netRatio = imported.rowsPerSecond / raw;
    print(`  wapi-bulk import            ${rate(imported.rowsPerSecond).padStart(16)}   peak RSS ${mb(imported.maxRssBytes)}`);
    print(`  import reaches ${(netRatio * 100).toFixed(0)}% of the raw ADD rate (target: at least 80%)`);
    return {
      rows: ROWS,
      parseRowsPerSecond: parse.rowsPerSecond,
      offlineRowsPerSecond: offline.rowsPerSecond,
      offlineRatio,
      offlinePeakRssBytes: offline.maxRssBytes,
      netRows: NET_ROWS,
      importRowsPerSecond: imported.rowsPerSecond,
      rawAddsPerSecond: raw,
      netRatio,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
