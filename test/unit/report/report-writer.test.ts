import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReportWriter } from '../../../src/report/report-writer.js';
import { reportPrefixLength } from '../../../src/report/report-columns.js';
import { countOutcome, emptySummary, summaryJson } from '../../../src/report/summary.js';

describe('reportPrefixLength', () => {
  it.each([
    [['legacy_id', 'name'], 0],
    [['row', 'key', 'stage', 'code', 'error', 'legacy_id'], 5],
    [['row', 'key', 'action', 'id', 'note', 'legacy_id'], 5],
    // A success.csv of the version before the note column.
    [['row', 'key', 'action', 'id', 'legacy_id'], 4],
    // Only our exact header counts: a user's own "row" column is data.
    [['row', 'key', 'name'], 0],
    [['row', 'key', 'stage', 'code'], 0],
    [['Row', 'key', 'action', 'id'], 0],
  ])('%j -> %i', (header, n) => expect(reportPrefixLength(header)).toBe(n));
});

describe('ReportWriter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wapi-report-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the report columns then the original ones, quoting what needs it', async () => {
    const writer = new ReportWriter({ dir, header: ['legacy_id', 'notes'] });
    await writer.writeSuccess({ row: 1, key: 'C1', action: 'added', id: '10000001' }, ['C1', 'multi\nline, "quoted"']);
    writer.writeError({ row: 2, key: 'C2', stage: 'validate', code: 'ROW_INVALID', error: 'EMAIL: bad, really' }, ['C2', '']);
    await writer.close();
    expect(readFileSync(join(dir, 'success.csv'), 'utf8')).toBe('row,key,action,id,note,legacy_id,notes\n1,C1,added,10000001,,C1,"multi\nline, ""quoted"""\n');
    expect(readFileSync(join(dir, 'errors.csv'), 'utf8')).toBe('row,key,stage,code,error,legacy_id,notes\n2,C2,validate,ROW_INVALID,"EMAIL: bad, really",C2,\n');
  });

  it('a report fed back in: its leading report columns are not echoed again', async () => {
    const writer = new ReportWriter({ dir, header: ['row', 'key', 'stage', 'code', 'error', 'legacy_id'] });
    writer.writeError({ row: 1, key: 'C1', stage: 'send', code: 'WAPI_REJECTED', error: 'no' }, ['7', 'C1', 'parse', 'ROW_INVALID', 'old', 'C1']);
    await writer.close();
    expect(readFileSync(join(dir, 'errors.csv'), 'utf8')).toBe('row,key,stage,code,error,legacy_id\n1,C1,send,WAPI_REJECTED,no,C1\n');
  });

  it('writes the input dialect: delimiter, Latin-1 (other characters as ?), UTF-16LE with a BOM', async () => {
    const latin = join(dir, 'latin');
    const w1 = new ReportWriter({ dir: latin, header: ['name'], delimiter: ';', encoding: 'latin1' });
    await w1.writeSuccess({ row: 1, key: 'k', action: 'added', id: '1' }, ['Größe; 世']);
    await w1.close();
    const bytes = readFileSync(join(latin, 'success.csv'));
    expect(bytes.toString('latin1')).toBe('row;key;action;id;note;name\n1;k;added;1;;"Größe; ?"\n');
    const utf16 = join(dir, 'utf16');
    const w2 = new ReportWriter({ dir: utf16, header: ['name'], encoding: 'utf-16le' });
    await w2.writeSuccess({ row: 1, key: 'k', action: 'added', id: '1' }, ['日本']);
    await w2.close();
    const b2 = readFileSync(join(utf16, 'success.csv'));
    expect([...b2.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(b2.toString('utf16le')).toBe('\uFEFFrow,key,action,id,note,name\n1,k,added,1,,日本\n');
    const cp = join(dir, 'cp1252');
    const w3 = new ReportWriter({ dir: cp, header: ['name'], encoding: 'windows-1252' });
    await w3.writeSuccess({ row: 1, key: 'k', action: 'added', id: '1' }, ['O’Brien 5€']);
    await w3.close();
    expect([...readFileSync(join(cp, 'success.csv'))].slice(-11)).toEqual([...Buffer.from('O'), 0x92, ...Buffer.from('Brien 5'), 0x80, 0x0a]);
  });

  it("reports written with a mapping's quote read back with the same quote (errors.csv is fed back in)", async () => {
    // Found in review: quote: "'" wrote reports that the same mapping could not read.
    const writer = new ReportWriter({ dir, header: ['id', 'name'], quote: "'", delimiter: ';' });
    writer.writeError({ row: 1, key: 'K1', stage: 'send', code: 'WAPI_REJECTED', error: "The value 'x;y' is not valid" }, ['K1', "O'Brien; Jr"]);
    await writer.close();
    const rows = parse(readFileSync(join(dir, 'errors.csv')), { columns: true, quote: "'", escape: "'", delimiter: ';' }) as Array<Record<string, string>>;
    expect(rows).toEqual([{ row: '1', key: 'K1', stage: 'send', code: 'WAPI_REJECTED', error: "The value 'x;y' is not valid", id: 'K1', name: "O'Brien; Jr" }]);
  });

  it('errors.csv is in input row order, whatever order the rows finished in', async () => {
    const writer = new ReportWriter({ dir, header: ['id'] });
    for (const row of [5, 2, 9, 1, 7]) writer.writeError({ row, key: `K${row}`, stage: 'send', code: 'X', error: 'e' }, [`K${row}`]);
    await writer.close();
    const rows = parse(readFileSync(join(dir, 'errors.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r['row'])).toEqual(['1', '2', '5', '7', '9']);
  });

  it('neutralises formulas in report cells by default (a leading quote), and not when told', async () => {
    const writer = new ReportWriter({ dir, header: ['a', 'b', 'c'] });
    await writer.writeSuccess({ row: 1, key: '=K', action: 'added', id: '1' }, ['=HYPERLINK("x")', '+1 415', 'plain']);
    await writer.close();
    expect(readFileSync(join(dir, 'success.csv'), 'utf8').split('\n')[1]).toBe(`1,'=K,added,1,,"'=HYPERLINK(""x"")",'+1 415,plain`);
    const raw = join(dir, 'raw');
    const w2 = new ReportWriter({ dir: raw, header: ['a'], escapeFormulas: false });
    await w2.writeSuccess({ row: 1, key: 'k', action: 'added', id: '1' }, ['=1+1']);
    await w2.close();
    expect(readFileSync(join(raw, 'success.csv'), 'utf8').split('\n')[1]).toBe('1,k,added,1,,=1+1');
  });

  it('report files are readable by their owner only', async () => {
    const writer = new ReportWriter({ dir, header: ['a'] });
    await writer.close();
    expect(statSync(join(dir, 'success.csv')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'errors.csv')).mode & 0o777).toBe(0o600);
  });

  it('a full disk is a rejected close, not an unhandled rejection from the batch timer', async () => {
    // Found in review: the timer's flush was `void`, so ENOSPC escaped as an unhandled rejection.
    symlinkSync('/dev/full', join(dir, 'success.csv'));
    const writer = new ReportWriter({ dir, header: ['a'] });
    expect(writer.writeSuccess({ row: 1, key: 'k', action: 'added', id: '1' }, ['x'])).toBeUndefined();
    // Let the batch timer fire and fail.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(writer.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('many rows through backpressure arrive whole and in order', async () => {
    const writer = new ReportWriter({ dir, header: ['n', 'pad'] });
    const pad = 'x'.repeat(500);
    let waits = 0;
    for (let i = 1; i <= 20_000; i++) {
      const wait = writer.writeSuccess({ row: i, key: `K${i}`, action: 'added', id: String(i) }, [String(i), pad]);
      if (wait) {
        waits++;
        await wait;
      }
    }
    await writer.close();
    expect(waits).toBeGreaterThan(0);
    const rows = parse(readFileSync(join(dir, 'success.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(20_000);
    expect(rows.every((r, i) => r['row'] === String(i + 1) && r['pad'] === pad)).toBe(true);
  });

  it('close is idempotent', async () => {
    const writer = new ReportWriter({ dir, header: ['a'] });
    await Promise.all([writer.close(), writer.close()]);
    await writer.close();
    expect(readFileSync(join(dir, 'errors.csv'), 'utf8')).toBe('row,key,stage,code,error,a\n');
  });
});

describe('summary', () => {
  it('counts outcomes so that succeeded = added + modified + unchanged + skipped (+ validated), and writes the documented keys in order', () => {
    const s = emptySummary();
    for (const o of ['added', 'added', 'modified', 'unchanged', 'skipped', 'failed', undefined] as const) countOutcome(s, o);
    expect(s).toMatchObject({ succeeded: 6, failed: 1, added: 2, modified: 1, unchanged: 1, skipped: 1 });
    const file = { ...s, rows: 9, pending: 2, requests: 9, retries: 1, elapsedMs: 12, status: 'stopped', exitCode: 130, runId: 3, mode: 'import', mapping: 'm', input: '/in.csv', encoding: 'utf-8', startedAt: 'a', finishedAt: 'b', stopReason: 'interrupted', extra: 1 } as const;
    const json = JSON.parse(summaryJson(file));
    expect(Object.keys(json)).toEqual([
      'status', 'exitCode', 'runId', 'mode', 'mapping', 'input', 'encoding', 'startedAt', 'finishedAt', 'stopReason',
      'rows', 'succeeded', 'failed', 'pending', 'added', 'modified', 'unchanged', 'skipped', 'deleted', 'requests', 'retries', 'elapsedMs',
    ]);
    expect(json.rows).toBe(json.succeeded + json.failed + json.pending);
  });
});
