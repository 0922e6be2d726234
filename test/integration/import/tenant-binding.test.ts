/**
 * State bound to its CRM (issue "Real tenants"): ids learnt from one endpoint and tenant are
 * never used against another, and a run is resumed only where it started.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { CREDENTIALS, fixture, latestOut, readCsv, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

describe('state bound to its tenant', () => {
  let ws: Workspace;
  let other: RunningEmulator;
  beforeEach(async () => {
    ws = await workspace();
    // Another CRM whose customers happen to have the same account numbers as the rehearsal's.
    other = await startEmulator({
      port: 0,
      fixtures: { customers: [1, 2, 3, 4, 5].map((i) => ({ ACCOUNTNUM: 10_000_000 + i - 1, FIRSTNAME: `Unrelated${i}`, LASTNAME: 'Person' })) },
    });
  });
  afterEach(async () => {
    await other.close();
    await ws.close();
  });

  it('cases imported into another tenant never take the ids a rehearsal gave their customers', async () => {
    // The trap: 3 of 3 cases landed on the other tenant's unrelated customers, exit 0.
    expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')])).code).toBe(0);
    const run = await ws.cli(['import', fixture('cases.csv'), '--mapping', fixture('cases.yaml'), '--url', other.url], { url: false });
    expect(run.code).toBe(1);
    const errors = readCsv(join(latestOut(ws.dir, 'cases'), 'errors.csv'));
    const rows = readCsv(join(latestOut(ws.dir, 'cases'), 'success.csv'));
    expect(rows).toEqual([]);
    for (const e of errors.filter((x) => x['stage'] === 'reference')) {
      expect(e['code']).toBe('REFERENCE_MISSING');
      expect(e['error']).toContain(`the state file has ids of "customers" for tenant AcmeJets at ${ws.emulator.url}`);
    }
    expect(errors.filter((x) => x['stage'] === 'reference').length).toBeGreaterThanOrEqual(3);
    const client = new WapiClient({ url: other.url, credentials: CREDENTIALS });
    try {
      expect(Number((await client.call({ object: 'CASE', action: 'GET', tags: [] })).items[0]?.['TOTAL'])).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('--resume against another endpoint is exit 2 naming both', async () => {
    // The trap: "added 5" reported while the other server held nothing.
    expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--limit', '2'])).code).toBe(0);
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--resume', '--url', other.url], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`went to tenant AcmeJets at ${ws.emulator.url}, and this run goes to tenant AcmeJets at ${other.url}`);
  });

  it('--state pointed at an emulator database is exit 2 saying which file is which', async () => {
    const db = join(ws.dir, 'crm.sqlite');
    const crm = await startEmulator({ port: 0, db });
    await crm.close();
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--state', db]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${db} is a database of the wapi-bulk emulator (wapi-bulk serve --db), not a state file`);
  });
});
