/**
 * A long GET reply (issue "Hardening": `--max-items 1000000` made a 162 MB reply that held the
 * server 13 s). Not a test: it prints figures and asserts nothing.
 *
 * `wapi-bulk serve --max-items 1000000` in a child process holds N customers (fixtures). One
 * client reads every customer in one GET reply while a second sends small GETs, one after the
 * other, on another connection. Printed: the long reply's time and size, the server's peak
 * memory (VmHWM) against its memory before the reply, and the small GETs' latency during the
 * reply against their latency alone (the baseline, same run).
 *
 * Then a fresh server meets 250 connections that each pipeline 20 wide GETs and read nothing,
 * and then all leave: printed, its peak memory, and the CPU it still spends in the two seconds
 * after they left (work for clients that are gone).
 *
 *   npm run bench -- replies
 *   REPLIES_BENCH_CUSTOMERS=100000  REPLIES_BENCH_CLI=/path/to/dist/cli.js (another build)
 *   EMULATOR_BENCH_NO_BUILD=1 (use dist/ as it is)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from 'undici';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = process.env['REPLIES_BENCH_CLI'] ?? join(ROOT, 'dist/cli.js');
const CUSTOMERS = Number(process.env['REPLIES_BENCH_CUSTOMERS'] ?? 100_000);
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

const print = (line: string) => process.stdout.write(`${line}\n`);
const form = (object: string, action: string, tags: Array<[string, string]>) => encodeForm(buildRequest(CREDENTIALS, { object, action, tags }));

async function build(): Promise<void> {
  if (process.env['REPLIES_BENCH_CLI'] !== undefined || (process.env['EMULATOR_BENCH_NO_BUILD'] === '1' && existsSync(CLI))) return;
  print('building dist/ with tsc ...');
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT }).catch(() => undefined);
  if (!existsSync(CLI)) throw new Error('tsc emitted no dist/cli.js');
}

async function serve(fixtures: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--max-items', '1000000', '--max-connections', '300', '--fixtures', fixtures], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /^wapi-bulk emulator listening on (\S+)$/.exec(line);
    if (m) return { url: m[1]!, child };
  }
  throw new Error('wapi-bulk serve ended before it was ready');
}

/** CPU seconds a process has used (user and system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in MB: now (VmRSS) and at its peak (VmHWM). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Small GETs, one after the other, until `until` settles; their latencies in ms. */
async function smallGets(client: Client, path: string, body: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const start = performance.now();
    const res = await client.request({ path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    await res.body.dump();
    latencies.push(performance.now() - start);
  }
  return latencies;
}

export async function run(): Promise<void> {
  await build();
  const dir = mkdtempSync(join(tmpdir(), 'wapi-replies-bench-'));
  const fixtures = join(dir, 'customers.json');
  const comment = 'c'.repeat(300);
  writeFileSync(fixtures, JSON.stringify({ customers: Array.from({ length: CUSTOMERS }, (_, i) => ({ FIRSTNAME: `First${i}`, LASTNAME: 'Bench', AUTOPASSWD: 'TRUE', COMMENTS: comment })) }));
  const { url, child } = await serve(fixtures);
  const { origin, pathname } = new URL(url);
  const small = new Client(origin);
  try {
    const smallBody = form('GROUPS', 'LIST', []);
    const alone = await smallGets(small, pathname, smallBody, new Promise((resolve) => setTimeout(resolve, 2000)));
    const before = memory(child.pid!);
    print(`emulator: ${url} (child process ${child.pid}), ${CUSTOMERS} customers; RSS ${before.rss} MB before the long reply`);
    const start = performance.now();
    let bytes = 0;
    // The long reply is read off a plain socket: undici parsing 88 MB of chunks in this process
    // would starve its own small GETs and measure the client, not the server.
    const reading = new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(url).port), new URL(url).hostname);
      const body = form('CUSTOMER', 'GET', [['LASTNAME', 'Bench']]);
      let head = '';
      socket.on('connect', () => socket.write(`POST ${pathname} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
      socket.on('data', (chunk: Buffer) => {
        if (head.length < 300) head += chunk.toString('latin1', 0, 300);
        bytes += chunk.length;
      });
      socket.on('end', () => resolve(/transfer-encoding: chunked/i.test(head) ? 'chunked' : 'one piece'));
      socket.on('error', reject);
    });
    const during = await smallGets(small, pathname, smallBody, reading);
    const chunked = await reading;
    const seconds = (performance.now() - start) / 1000;
    const after = memory(child.pid!);
    print(`long reply: ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s (${chunked}); server peak RSS ${after.peak} MB, ${(after.peak / before.rss).toFixed(2)}x its RSS before`);
    print(`small GETs alone: ${alone.length}, p50 ${percentile(alone, 50).toFixed(1)} ms, max ${Math.max(...alone).toFixed(1)} ms`);
    print(`small GETs during the long reply: ${during.length}, p50 ${percentile(during, 50).toFixed(1)} ms (${(percentile(during, 50) / percentile(alone, 50)).toFixed(1)}x), max ${Math.max(...during).toFixed(1)} ms`);
  } finally {
    await small.close();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  try {
    await greedyClients(fixtures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Connections that pipeline wide GETs, read nothing, and leave. */
async function greedyClients(fixtures: string): Promise<void> {
  const { url, child } = await serve(fixtures);
  const { port, hostname, pathname } = new URL(url);
  try {
    const before = memory(child.pid!);
    // FIRSTNAME First1%: about 11,000 customers, some 10 MB of reply, twenty times per connection.
    const body = form('CUSTOMER', 'GET', [['FIRSTNAME', 'First1%']]);
    const one = `POST ${pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const sockets = await Promise.all(
      Array.from({ length: 250 }, () => new Promise<Socket>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => resolve(socket));
        socket.on('error', () => undefined);
        socket.once('error', reject);
        socket.pause();
      })),
    );
    const cpuBefore = cpuSeconds(child.pid!);
    for (const socket of sockets) socket.write(one.repeat(20));
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const held = memory(child.pid!);
    const cpuHeld = cpuSeconds(child.pid!) - cpuBefore;
    for (const socket of sockets) socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cpuAtLeave = cpuSeconds(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const cpuAfter = cpuSeconds(child.pid!) - cpuAtLeave;
    print(`250 connections x 20 pipelined wide GETs, never read: server RSS ${before.rss} MB before, peak ${held.peak} MB (${(held.peak / before.rss).toFixed(2)}x); CPU ${cpuHeld.toFixed(2)} s in the 5 s they stayed, ${cpuAfter.toFixed(2)} s in the 2 s after they left`);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
