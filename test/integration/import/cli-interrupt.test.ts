import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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

  it('stops a run with exit 130 and reports so far; --resume finishes it with no row sent twice', async () => {
    ws = await workspace({ latency: 20 });
    const n = 200;
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
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.output().stderr).toMatch(/interrupted after \d+ rows.*--resume/);
    const partial = readSummary(latestOut(ws.dir, 'customers'));
    expect(partial['rows']).toBeLessThan(n);

    const resumed = spawnCli([...args, '--resume'], ws.dir);
    const code = await resumed.exit;
    const dir = latestOut(ws.dir, 'customers');
    const summary = readSummary(dir);
    expect(summary['rows'], JSON.stringify({ code, ...resumed.output() })).toBe(n);
    const rows = [...readCsv(join(dir, 'success.csv')), ...readCsv(join(dir, 'errors.csv'))].map((r) => Number(r['row'])).sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // An add without match: rows in flight at the interrupt are errors ("may have been added"),
    // never sent again; every other row is in the CRM exactly once.
    const errors = readCsv(join(dir, 'errors.csv'));
    for (const e of errors) expect(e['error']).toContain('may have been added before the interruption');
    expect(code).toBe(errors.length > 0 ? 1 : 0);
    const total = Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL']);
    expect(total).toBeLessThanOrEqual(n);
    expect(total).toBeGreaterThanOrEqual(n - errors.length);
    for (let i = 1; i <= n; i += 1) {
      const found = await ws.get('CUSTOMER', [['LEGACY_ID', `K${i}`]]);
      expect(found.length, `K${i}`).toBeLessThanOrEqual(1);
    }
  });
});
