import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

const CSV = [
  'legacy_id,first_name,last_name,email,country,tier,notes',
  'V1,Ok,Row,ok@example.com,US,,',
  'V2,Bad,Email,not an email!,US,,',
  'V3,Unknown,Country,c@example.com,Atlantis,,',
  'V4,Short,Row',
].join('\n');

describe('validate', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => {
    delete process.env['WAPI_URL'];
    await ws.close();
  });

  it('offline (no --url, no WAPI_URL): mapping, header and catalogue checks; no request, no tenant lists', async () => {
    const csv = ws.write('in.csv', CSV);
    const run = await ws.cli(['validate', csv, '--mapping', fixture('customers-add.yaml'), '--out', 'v'], { url: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('offline');
    const errors = Object.fromEntries(readCsv(join(ws.dir, 'v', 'errors.csv')).map((e) => [e['key'], e]));
    expect(Object.keys(errors).sort()).toEqual(['V2', 'V4']);
    expect(errors['V4']).toMatchObject({ stage: 'parse', error: 'row has 3 fields, header has 7' });
    // The country list is the tenant's: offline it is not checked.
    const success = readCsv(join(ws.dir, 'v', 'success.csv'));
    expect(success.map((r) => [r['key'], r['action'], r['id']])).toEqual([['V1', 'added', ''], ['V3', 'added', '']]);
    expect(readSummary(join(ws.dir, 'v'))).toMatchObject({ rows: 4, succeeded: 2, failed: 2, requests: 0 });
    expect(Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL'] ?? 0)).toBe(0);
  });

  it('offline upsert: rows that pass are reported with an empty action (only the server knows add or modify)', async () => {
    const csv = ws.write('in.csv', CSV);
    await ws.cli(['validate', csv, '--mapping', fixture('customers.yaml'), '--out', 'v'], { url: false });
    expect(readCsv(join(ws.dir, 'v', 'success.csv')).map((r) => r['action'])).toEqual(['', '']);
  });

  it('with WAPI_URL it is import --dry-run: tenant lists apply, nothing is written', async () => {
    process.env['WAPI_URL'] = ws.emulator.url;
    const csv = ws.write('in.csv', CSV);
    const run = await ws.cli(['validate', csv, '--mapping', fixture('customers.yaml'), '--out', 'v'], { url: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('dry run');
    const errors = readCsv(join(ws.dir, 'v', 'errors.csv')).map((e) => e['key']);
    expect(errors.sort()).toEqual(['V2', 'V3', 'V4']);
    expect(readCsv(join(ws.dir, 'v', 'success.csv')).map((r) => [r['key'], r['action']])).toEqual([['V1', 'added']]);
    expect(Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL'] ?? 0)).toBe(0);
  });

  it('a bad mapping or header is exit 2 offline too', async () => {
    const csv = ws.write('in.csv', 'id,name\n1,x\n');
    const run = await ws.cli(['validate', csv, '--mapping', fixture('customers.yaml')], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('column "legacy_id" is not in the CSV header');
  });
});
