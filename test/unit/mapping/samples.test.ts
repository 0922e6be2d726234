/**
 * Every mapping in mappings/ against its sample, so that examples never rot (like csv-parse's
 * test/samples.js): the header has every column the mapping names, and the rows that fail are
 * exactly the ones the samples make bad on purpose, at the step they are meant to fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { applyMapping } from '../../../src/mapping/apply-mapping.js';
import { checkHeader } from '../../../src/mapping/check-header.js';
import { loadMapping } from '../../../src/mapping/load-mapping.js';
import { RowError, type RowStage } from '../../../src/mapping/row-error.js';
import type { TenantLists } from '../../../src/mapping/tenant-lists.js';
import type { Mapping } from '../../../src/mapping/types.js';
import { validateRecord } from '../../../src/mapping/validate-record.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** The tenant of samples/tenant.yaml, as the import reads it at the start of a run. */
const TENANT: TenantLists = {
  COUNTRY: ['United States', 'Germany', 'United Kingdom', 'France', 'Brazil', 'Sweden', 'Ireland', 'Japan', 'Spain'],
  CUSTOMERTYPE: ['Default', 'NT User', 'VIP'],
  CASE_STATUS: ['Unassigned', 'Open', 'Pending', 'Closed'],
  PRIORITY: ['Low', 'Medium', 'High'],
  SEVERITY: ['Information', 'Minor', 'Major', 'Critical'],
  CATEGORY: ['Default', 'Gold', 'Platinum'],
  PROJECT: ['Default'],
  VISIBILITY: ['Internal', 'External'],
  CASE_MEDIATYPE: ['Phone', 'Chat', 'Email', 'None'],
  FOLLOWUP_MEDIATYPE: ['Phone', 'Chat', 'Email', 'None', 'Voice', 'Other'],
  TASK_STATUS: ['New', 'Pending', 'Closed'],
  TASK_MEDIATYPE: ['Phone', 'Chat', 'Email', 'None'],
  CALL_TYPE: ['DAA', 'Inbound', 'Outbound'],
  agents: ['johnd', 'jsmith', 'bobp', 'rshasta', 'sbaker', 'jdoe', 'pma'],
  groups: ['101', '102'],
  caseStatusUsability: { Unassigned: 'UNA', Open: 'OPN', Pending: 'OPN', Closed: 'CLS' },
  customFields: {
    CUSTOMER: {
      'CF01_PICKLIST.NAME': { type: 'picklist', values: ['value1', 'value2', 'value3'] },
      'CF02.NAME': { type: 'text', maxLength: 100 },
      LEGACY_ID: { type: 'text', maxLength: 50, unique: true },
    },
    CASE: {
      'CF01_PICKLIST.NAME': { type: 'picklist', values: ['value1', 'value2', 'value3'] },
      'CF02.NAME': { type: 'text', maxLength: 100 },
      CASE_LEGACY_ID: { type: 'text', maxLength: 50, unique: true },
    },
    TASK: {
      TASK_PICKLIST: { type: 'picklist', values: ['one', 'two', 'three'] },
      TASK_TEXT: { type: 'text', maxLength: 255 },
      TASK_DATE: { type: 'date' },
      TASK_LEGACY_ID: { type: 'text', maxLength: 50, unique: true },
    },
  },
};

/** Each mapping's sample and the rows that are bad on purpose, by key, with the failing step. */
const SAMPLES: Record<string, { csv: string; bad: Record<string, RowStage> }> = {
  customers: { csv: 'samples/customers.csv', bad: { '1013': 'validate' } },
  cases: { csv: 'samples/cases.csv', bad: { '5013': 'reference', '5021': 'validate' } },
  tasks: { csv: 'samples/tasks.csv', bad: { 'A-313': 'map', 'A-316': 'validate' } },
  followups: { csv: 'samples/followups.csv', bad: { 'N-9016': 'validate' } },
  'atomic-crm-contacts': { csv: 'test/fixtures/atomic-crm/contacts.csv', bad: {} },
};

function readRows(mapping: Mapping, csv: string): Record<string, string>[] {
  const encoding = mapping.csv.encoding === 'auto' ? 'utf-8' : mapping.csv.encoding;
  return parse(iconv.decode(readFileSync(join(ROOT, csv)), encoding), {
    columns: true,
    delimiter: mapping.csv.delimiter,
    quote: mapping.csv.quote,
    bom: mapping.csv.bom,
  }) as Record<string, string>[];
}

/** The step at which a row fails offline, given the keys each referenced mapping imported. */
function failingStage(mapping: Mapping, row: Record<string, string>, imported: ReadonlyMap<string, ReadonlySet<string>>): RowStage | undefined {
  let mapped;
  try {
    mapped = applyMapping(mapping, row);
  } catch (error) {
    if (error instanceof RowError) return error.stage;
    throw error;
  }
  const problems = validateRecord(mapping.objectName, 'ADD', mapped.fields, TENANT, { pending: mapped.refs.map((r) => r.tag) });
  if (problems.length > 0) return 'validate';
  for (const ref of mapped.refs) {
    if (ref.ref.kind === 'mapping' && !imported.get(ref.ref.mapping)?.has(ref.value)) return 'reference';
  }
  return undefined;
}

const files = readdirSync(join(ROOT, 'mappings')).filter((f) => f.endsWith('.yaml'));

describe('mappings/*.yaml against their samples', () => {
  it('has a sample for every mapping', () => {
    expect(files.map((f) => basename(f, '.yaml')).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  // Keys each mapping imports successfully, for the references of the ones after it.
  const imported = new Map<string, Set<string>>();

  for (const name of ['customers', 'cases', 'tasks', 'followups', 'atomic-crm-contacts']) {
    it(`${name}.yaml maps ${SAMPLES[name]?.csv} and only the bad rows fail`, async () => {
      const sample = SAMPLES[name] as (typeof SAMPLES)[string];
      const mapping = await loadMapping(join(ROOT, 'mappings', `${name}.yaml`));
      expect(mapping.name).toBe(name);
      const rows = readRows(mapping, sample.csv);
      expect(rows.length).toBeGreaterThan(0);
      expect(checkHeader(mapping, Object.keys(rows[0] as object))).toEqual([]);

      const failed: Record<string, RowStage> = {};
      const ok = new Set<string>();
      for (const row of rows) {
        const key = row[mapping.key] as string;
        const stage = failingStage(mapping, row, imported);
        if (stage) failed[key] = stage;
        else ok.add(key);
      }
      expect(failed).toEqual(sample.bad);
      imported.set(name, ok);
    });
  }

  it('keeps the samples messy: accents, a multi-line note, quotes and commas', () => {
    const text = readFileSync(join(ROOT, 'samples/customers.csv'), 'utf8');
    for (const s of ['Zoë', 'Müller', 'São Paulo', '""Rocket""', '"Müller, Schmidt & Söhne GmbH"']) expect(text).toContain(s);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.some((r) => (r['notes'] ?? '').includes('\n'))).toBe(true);
  });
});
