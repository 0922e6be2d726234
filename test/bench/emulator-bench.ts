/**
 * Emulator throughput (issue 3: "at least 3,000 simple GET requests a second with keep-alive" on
 * the 2-core machine). Not a test: it prints figures and returns them.
 *
 * The emulator runs as users run it, `node dist/cli.js serve --port 0`, in a child process, so
 * the load generator (autocannon, in this process) does not share its core. It holds 1,000
 * customers; the load is a GET of one customer by ACCOUNTNUM, byte for byte the request our
 * client sends, over keep-alive connections. Several runs, since other work on the machine
 * moves the figure; the best and the median are printed.
 *
 *   npm run bench -- emulator
 *   EMULATOR_BENCH_SECONDS=10 EMULATOR_BENCH_RUNS=3 EMULATOR_BENCH_CONNECTIONS=10
 *   EMULATOR_BENCH_NO_BUILD=1 (use dist/ as it is)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';
import { parseReply, replyId } from '../../src/protocol/reply.js';

/** The slice of autocannon's API used here (the package ships no types). */
type Autocannon = (options: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
const SECONDS = Number(process.env['EMULATOR_BENCH_SECONDS'] ?? 10);
const RUNS = Number(process.env['EMULATOR_BENCH_RUNS'] ?? 3);
const CONNECTIONS = Number(process.env['EMULATOR_BENCH_CONNECTIONS'] ?? 10);
const CUSTOMERS = 1000;
const TARGET = 3000;

const print = (line: string) => process.stdout.write(`${line}\n`);
const form = (object: string, action: string, tags: Array<[string, string]>) => encodeForm(buildRequest(CREDENTIALS, { object, action, tags }));

async function build(): Promise<void> {
  if (process.env['EMULATOR_BENCH_NO_BUILD'] === '1' && existsSync(CLI)) return;
  print('building dist/ with tsc ...');
  // tsc emits even when a module in progress elsewhere has type errors; what matters is the CLI.
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT }).catch(() => undefined);
  if (!existsSync(CLI)) throw new Error('tsc emitted no dist/cli.js');
}

async function serve(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const m = /^wapi-bulk emulator listening on (\S+)$/.exec(line);
    if (m) return { url: m[1]!, child };
  }
  throw new Error('wapi-bulk serve ended before it was ready');
}

async function post(url: string, body: string) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return parseReply(Buffer.from(await res.body.arrayBuffer()));
}

export interface EmulatorBenchResult {
  readonly runs: number[];
  readonly best: number;
  readonly median: number;
}

export async function run(): Promise<EmulatorBenchResult> {
  await build();
  const { url, child } = await serve();
  try {
    print(`emulator: ${url} (child process ${child.pid}); loading ${CUSTOMERS} customers ...`);
    let target = '';
    for (let i = 0; i < CUSTOMERS; i++) {
      const reply = await post(url, form('CUSTOMER', 'ADD', [['FIRSTNAME', `First${i}`], ['LASTNAME', `Last${i}`], ['EMAIL', `c${i}@example.com`], ['AUTOPASSWD', 'TRUE']]));
      if (i === CUSTOMERS / 2) target = replyId(reply, 'ACCOUNTNUM') ?? '';
    }
    const body = form('CUSTOMER', 'GET', [['ACCOUNTNUM', target]]);
    const check = await post(url, body);
    if (check.items.length !== 1 || check.items[0]?.['ACCOUNTNUM'] !== target) throw new Error('the benchmark GET does not find its customer');
    const options = {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      connections: CONNECTIONS,
      pipelining: 1,
    };
    print(`GET CUSTOMER by ACCOUNTNUM, ${CONNECTIONS} keep-alive connections, ${RUNS} runs of ${SECONDS} s (after a 3 s warm-up)`);
    await autocannon({ ...options, duration: 3 });
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const result = await autocannon({ ...options, duration: SECONDS });
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
        throw new Error(`run ${i + 1}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
      }
      const rate = result.requests.total / (result.duration || SECONDS);
      runs.push(Math.round(rate));
      print(`  run ${i + 1}: ${Math.round(rate)} requests/s (latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`);
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const best = sorted.at(-1) ?? 0;
    print(`emulator: median ${median} requests/s, best ${best} (target >= ${TARGET}: ${median >= TARGET ? 'met' : 'NOT met'})`);
    return { runs, best, median };
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
