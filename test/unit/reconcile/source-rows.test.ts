import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { RecordFinder } from '../../../src/import/record-finder.js';
import { parseMapping } from '../../../src/mapping/load-mapping.js';
import { SourceRows, type SourceRow } from '../../../src/reconcile/source-rows.js';
import { StateStore } from '../../../src/state/state-store.js';

const CRM = { endpoint: 'http://127.0.0.1:8088/WAPI/wapi.php', tenant: 'AcmeJets' };
const ELSEWHERE = { endpoint: 'https://vcc-na4.8x8.com/WAPI/wapi.php', tenant: 'AcmeJets' };

/** Rows of these tests need no look-up: a finder pointed at no server, which would fail if asked. */
const NOWHERE = new WapiClient({ url: 'http://127.0.0.1:9/WAPI/wapi.php', credentials: { tenant: 'AcmeJets', username: 'johnd', password: 'john123' }, retries: 0 });
const NO_FINDER = new RecordFinder(NOWHERE);

afterAll(() => NOWHERE.close());

describe('SourceRows: a source row as the import would see it', () => {
  let dir: string;
  let state: StateStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wapi-reconcile-rows-'));
    state = StateStore.open(join(dir, 'state.sqlite'));
  });
  afterEach(() => {
    state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const prepareAll = (rows: SourceRows, records: string[][]): SourceRow[] =>
    records.map((fields, i) => {
      const out = rows.prepare(i + 1, fields);
      if (out instanceof Promise) throw new Error('unexpected look-up');
      return out;
    });

  it('customers: the id map gives the record id, the mapping the match value; what the import refuses is invalid', () => {
    const mapping = parseMapping(
      'name: people\nobject: customer\naction: upsert\nkey: id\nmatch: LEGACY_ID\ncustomFields: [LEGACY_ID]\nfields:\n  FIRSTNAME: first\n  LASTNAME: last\n  EMAIL: { column: email, transform: [trim, lower] }\n  AUTOPASSWD: { value: "TRUE" }\n  LEGACY_ID: { template: "crm-{id}" }\n',
      'people.yaml',
    );
    state.setId(CRM, 'people', '1', { object: 'CUSTOMER', id: '10000007' });
    state.setId(ELSEWHERE, 'people', '2', { object: 'CUSTOMER', id: '10000008' });
    const rows = new SourceRows({ mapping, header: ['id', 'first', 'last', 'email'], lists: undefined, state, scope: CRM, finder: NO_FINDER });
    const out = prepareAll(rows, [
      ['1', 'Ann', 'Lee', ' Ann@Example.com '],
      ['2', 'Bo', 'Ng', ''],
      ['3', 'Cy', 'Oh', 'not an address'],
      ['1', 'Ann', 'Again', ''],
      ['', 'No', 'Key', ''],
      ['4', 'Short'],
    ]);
    expect(out[0]).toEqual({
      kind: 'valid',
      row: 1,
      key: '1',
      ident: '10000007',
      match: 'crm-1',
      fields: [
        { tag: 'FIRSTNAME', value: 'Ann' },
        { tag: 'LASTNAME', value: 'Lee' },
        { tag: 'EMAIL', value: 'ann@example.com' },
        { tag: 'AUTOPASSWD', value: 'TRUE' },
        { tag: 'LEGACY_ID', value: 'crm-1' },
      ],
    });
    // Ids are bound to their CRM: another endpoint's id for key 2 is not this one's.
    expect(out[1]).toMatchObject({ kind: 'valid', ident: undefined, match: 'crm-2' });
    expect(out[2]).toMatchObject({ kind: 'invalid', stage: 'validate', code: 'ROW_INVALID', match: 'crm-3' });
    expect(out[3]).toMatchObject({ kind: 'invalid', stage: 'key', code: 'DUPLICATE_KEY' });
    expect((out[3] as { message: string }).message).toMatch(/^key 1 is also on row 1/);
    expect(out[4]).toMatchObject({ kind: 'invalid', stage: 'map', code: 'ROW_INVALID' });
    expect(out[5]).toMatchObject({ kind: 'invalid', stage: 'parse', code: 'ROW_INVALID', message: 'row has 2 fields, header has 4' });
  });

  it('a reference resolves through the id map of this CRM, reported with its legacy key; one not imported here is invalid', () => {
    const mapping = parseMapping(
      'name: notes\nobject: followup\naction: add\nkey: id\nfields:\n  CASENUM: { ref: tickets, column: ticket }\n  SUBJECT: { column: subject, default: Note }\n  DESCRIPTION: body\n',
      'notes.yaml',
    );
    state.setId(CRM, 'tickets', 'T1', { object: 'CASE', id: '41' });
    state.setId(ELSEWHERE, 'tickets', 'T2', { object: 'CASE', id: '42' });
    state.setId(CRM, 'notes', 'N1', { object: 'FOLLOWUP', id: '3' });
    const rows = new SourceRows({ mapping, header: ['id', 'ticket', 'subject', 'body'], lists: undefined, state, scope: CRM, finder: NO_FINDER });
    const [n1, n2, n3] = prepareAll(rows, [
      ['N1', 'T1', '', 'Called'],
      ['N2', 'T2', 'Re', 'Mailed'],
      ['N3', '', 'Re', 'Orphan'],
    ]);
    // A follow-up is named by its case and its number within the case.
    expect(n1).toEqual({
      kind: 'valid',
      row: 1,
      key: 'N1',
      ident: '41/3',
      match: undefined,
      fields: [
        { tag: 'SUBJECT', value: 'Note' },
        { tag: 'DESCRIPTION', value: 'Called' },
        { tag: 'CASENUM', value: '41', from: 'tickets T1' },
      ],
    });
    expect(n2).toMatchObject({ kind: 'invalid', stage: 'reference', code: 'REFERENCE_MISSING' });
    expect((n2 as { message: string }).message).toMatch(/^case legacy id T2 was not imported into tenant AcmeJets at http:\/\/127\.0\.0\.1:8088\/WAPI\/wapi\.php \(the state file has ids of "tickets" for tenant AcmeJets at https:\/\/vcc-na4/);
    // An empty reference is the import's missing mandatory field, caught before any request.
    expect(n3).toMatchObject({ kind: 'invalid', stage: 'validate', code: 'ROW_INVALID' });
  });
});
