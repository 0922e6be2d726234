import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StateStore } from '../../../src/state/state-store.js';
import { CREDENTIALS, fixture, latestOut, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const CLI = join(ROOT, 'src/cli.ts');

/** The CLI in a child process (exit codes and signals are the point), from the sources via tsx. */
function spawnCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { ...process.env, WAPI_TENANT: CREDENTIALS.tenant, WAPI_USERNAME: CREDENTIALS.username, WAPI_PASSWORD: CREDENTIALS.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

describe('Ctrl-C', () => {
  let ws: Workspace;
  afterEach(async () => ws.close());

  // Found in review: SIGTERM left the run "running"; Ctrl-C cut requests off mid-way and 10 rows
  // became "may have been added", 6 of which had landed. Now both signals stop gracefully.
  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops a run with exit 130 once the requests in flight finish; --resume completes it, every row once', async (signal) => {
    ws = await workspace({ latency: 20 });
    const n = 120;
    const lines = ['legacy_id,first_name,last_name,email,country,tier,notes'];
    for (let i = 1; i <= n; i++) lines.push(`K${i},F${i},L${i},k${i}@example.com,US,,`);
    const csv = ws.write('in.csv', `${lines.join('\n')}\n`);
    const args = ['import', csv, '--mapping', fixture('customers-add.yaml'), '--url', ws.emulator.url, '--concurrency', '4'];

    const run = spawnCli(args, ws.dir);
    // Interrupt once some customers are in the CRM.
    for (;;) {
      const total = (await ws.get('CUSTOMER', []))[0]?.['TOTAL'];
      if (Number(total) >= 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill(signal);
    expect(await run.exit).toBe(130);
    expect(run.output().stderr).toMatch(/finishing the requests in flight/);
    expect(run.output().stdout).toMatch(/stopped: interrupted \(run the same command with --resume to continue\)/);
    const partial = readSummary(latestOut(ws.dir, 'customers'));
    expect(partial).toMatchObject({ status: 'stopped', exitCode: 130, rows: n, failed: 0 });
    expect(partial['pending']).toBeGreaterThan(0);
    const state = StateStore.open(join(ws.dir, '.wapi-bulk', 'state.sqlite'), { readonly: true });
    expect(state.run(partial['runId'] as number)?.status).toBe('interrupted');
    state.close();

    const resumed = spawnCli([...args, '--resume'], ws.dir);
    const code = await resumed.exit;
    const dir = latestOut(ws.dir, 'customers');
    const summary = readSummary(dir);
    expect(summary, JSON.stringify({ code, ...resumed.output() })).toMatchObject({ status: 'completed', rows: n, added: n, failed: 0 });
    expect(code).toBe(0);
    const rows = readCsv(join(dir, 'success.csv')).map((r) => Number(r['row'])).sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // Nothing was cut off in flight: every row is in the CRM exactly once.
    expect(Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL'])).toBe(n);
    // The look-ups side by side: one after the other, at 20 ms of latency each, they were a
    // quarter of this test's time.
    const found = await Promise.all(Array.from({ length: n }, async (_, i) => [`K${i + 1}`, (await ws.get('CUSTOMER', [['LEGACY_ID', `K${i + 1}`]])).length] as const));
    expect(found.filter(([, count]) => count !== 1)).toEqual([]);
  });
});
