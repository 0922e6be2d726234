import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportRecords } from '../../../src/export/export-records.js';
import { CREDENTIALS, fixture, readCsv, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

describe('import then export', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => ws.close());

  it('gives back the values imported: quotes, markup, multi-line notes, accents, CJK and emoji', async () => {
    expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')])).code).toBe(0);
    const out = join(ws.dir, 'export', 'customers.csv');
    await exportRecords({ object: 'customer', out, url: ws.emulator.url, credentials: CREDENTIALS });
    const exported = Object.fromEntries(readCsv(out).map((r) => [r['LEGACY_ID'], r]));
    const input = readCsv(fixture('customers.csv'));
    expect(Object.keys(exported).sort()).toEqual(input.map((r) => r['legacy_id']).sort());
    for (const row of input) {
      const back = exported[row['legacy_id'] as string] as Record<string, string>;
      expect(back['FIRSTNAME']).toBe(row['first_name']);
      expect(back['LASTNAME']).toBe(row['last_name']);
      expect(back['EMAIL']).toBe(row['email']);
      expect(back['COMMENTS']).toBe(row['notes']);
    }
  });
});
