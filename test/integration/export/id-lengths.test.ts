import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import { exportRecords } from '../../../src/export/export-records.js';
import { CREDENTIALS, readCsv, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

// Regression (review): a 9-digit block is queried as `1%`, which also matches every 8-digit
// id starting with 1; those lower ids filled the reply, the walk took them as the block's and
// re-read them out of order, and the export died with "record 10000007 came after 10000009".
describe('customers whose account numbers differ in length', () => {
  it.each([
    ['ten 8-digit ids and three 9-digit ones', [...range(10_000_000, 10), 100_000_000, 100_000_001, 100_000_002]],
    ['fifty of each, dense', [...range(10_000_000, 50), ...range(100_000_000, 50)]],
    ['the guide\'s short ids beside the emulator\'s', [1453, 123456, ...range(10_000_000, 12)]],
  ])('%s: every record once, in id order', async (_name, ids) => {
    const customers = ids.map((id, i) => ({ ACCOUNTNUM: id, FIRSTNAME: `F${i}`, LASTNAME: 'L', AUTOPASSWD: 'TRUE' }));
    const emulator = await startEmulator({ port: 0, maxItems: 7, fixtures: { customers } });
    try {
      const out = join(tmp.dir, `c-${ids.length}-${ids[0]}.csv`);
      const summary = await exportRecords({ object: 'customer', out, url: emulator.url, credentials: CREDENTIALS, maxItems: 7 });
      expect(readCsv(out).map((r) => Number(r['ACCOUNTNUM']))).toEqual([...ids].sort((a, b) => a - b));
      expect(summary).toMatchObject({ exitCode: 0, countMatches: true, records: ids.length });
    } finally {
      await emulator.close();
    }
  });
});
