import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { exportRecords } from '../../../src/export/export-records.js';
import { importCsv } from '../../../src/import/import-csv.js';
import { CREDENTIALS, readCsv, tempDir } from './helpers.js';

const MAPPING = new URL('../../../mappings/customers.yaml', import.meta.url).pathname;
const FIELDS = ['FIRSTNAME', 'LASTNAME', 'EMAIL', 'COMPANY', 'ADDR1CITY', 'ADDR1COUNTRY', 'CUSTOMERTYPE', 'CF01_PICKLIST.NAME', 'CF02.NAME', 'LEGACY_ID'];

const customers = Array.from({ length: 30 }, (_, i) => ({
  ACCOUNTNUM: 10_000_000 + i * 3,
  FIRSTNAME: ['Zoë', 'José', 'Anna', "O'Brien", '李'][i % 5] as string,
  LASTNAME: `Family ${i}`,
  EMAIL: `person${i}@example.com`,
  COMPANY: i % 4 === 0 ? 'Müller & Söhne, "GmbH"' : `Company ${i}`,
  ADDR1CITY: 'São Paulo',
  ADDR1COUNTRY: ['United States', 'Germany', 'France', 'Brazil'][i % 4] as string,
  CUSTOMERTYPE: ['VIP', 'NT User', 'Default'][i % 3] as string,
  'CF01_PICKLIST.NAME': ['value1', 'value2', 'value3'][i % 3] as string,
  'CF02.NAME': `nick ${i}`,
  LEGACY_ID: `L-${1000 + i}`,
}));

let source: RunningEmulator;
let target: RunningEmulator;
const tmp = tempDir();

beforeAll(async () => {
  source = await startEmulator({ port: 0, maxItems: 7, fixtures: { customers } });
  target = await startEmulator({ port: 0, maxItems: 7 });
});
afterAll(async () => {
  await source.close();
  await target.close();
  tmp.remove();
});

describe('export --mapping round-trips through import', () => {
  it('writes the legacy columns, which the same mapping imports back to the same values', async () => {
    const legacy = join(tmp.dir, 'legacy.csv');
    const exported = await exportRecords({ object: 'customer', out: legacy, url: source.url, credentials: CREDENTIALS, maxItems: 7, mapping: MAPPING });
    expect(exported.exitCode).toBe(0);
    expect(exported.warnings).toContain('fields.AUTOPASSWD: a constant: not exported');
    const rows = readCsv(legacy);
    expect(Object.keys(rows[0] ?? {})).toContain('legacy_id');
    // Value maps run backwards: United States -> US, VIP -> gold, value1 -> retail.
    expect(rows.find((r) => r['legacy_id'] === 'L-1000')).toMatchObject({ country: 'US', tier: 'gold', segment: 'retail', first_name: 'Zoë' });

    const imported = await importCsv({
      file: legacy,
      mapping: MAPPING,
      out: join(tmp.dir, 'import'),
      state: join(tmp.dir, 'state.sqlite'),
      connection: { url: target.url, credentials: CREDENTIALS },
    });
    expect(imported.failed).toBe(0);
    expect(imported.added).toBe(30);

    const again = await exportRecords({ object: 'customer', out: join(tmp.dir, 'again.csv'), url: target.url, credentials: CREDENTIALS, maxItems: 7 });
    const byLegacy = new Map(readCsv(again.out).map((r) => [r['LEGACY_ID'], r]));
    for (const c of customers) {
      const row = byLegacy.get(c.LEGACY_ID);
      for (const field of FIELDS) expect(row?.[field], `${c.LEGACY_ID} ${field}`).toBe((c as Record<string, unknown>)[field]);
    }
  });
});
