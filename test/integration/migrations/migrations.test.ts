/**
 * The migration recipes (README "Migration recipes"): each product's export imported into the
 * emulator through its mappings, in order, with every row accounted for: each row of the CSV is
 * in success.csv or errors.csv exactly once, and the rows that fail are the ones the samples
 * make bad on purpose, for the reason they are meant to fail.
 *
 * After each import, `afterImport` reconciles the step: every row the import took agrees with the
 * CRM, and every row it refused is missing (the server refused it) or invalid (refused before
 * any request, with the import's code).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { importCsv, type ImportSummary } from '../../../src/import/import-csv.js';
import { loadMapping } from '../../../src/mapping/load-mapping.js';
import { reconcile } from '../../../src/reconcile/reconcile.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

interface Step {
  readonly mapping: string;
  readonly csv: string;
  /** Keys of the rows meant to fail, and the error code each fails with. */
  readonly failures: Readonly<Record<string, string>>;
}

interface Recipe {
  readonly name: string;
  readonly steps: readonly Step[];
}

const HUBSPOT_CONTACTS: Step = {
  mapping: 'mappings/hubspot/contacts.yaml',
  csv: 'samples/hubspot/contacts.csv',
  failures: {
    '2001': 'ROW_INVALID', // an email-only sign-up: no first or last name
    '2002': 'ROW_INVALID', // tom.hardy@@example.com
  },
};

const RECIPES: readonly Recipe[] = [
  {
    name: 'Salesforce: contacts, cases, case comments',
    steps: [
      {
        mapping: 'mappings/salesforce/contacts.yaml',
        csv: 'samples/salesforce/Contact.csv',
        failures: {
          '0035g00000011014GD': 'ROW_INVALID', // Nakamura: Salesforce needs no first name, the CRM does
          '0035g0000001102CG2': 'ROW_INVALID', // anna+newsletter@example.de: no + in a customer EMAIL
          '0035g0000001103UMR': 'WAPI_REJECTED', // the second Mary O'Brien: the CRM refuses a duplicate EMAIL
        },
      },
      {
        mapping: 'mappings/salesforce/cases.yaml',
        csv: 'samples/salesforce/Case.csv',
        failures: {
          '5005g00000021011IB': 'ROW_INVALID', // web-to-case with no ContactId: ACCOUNTNUM missing, caught before any request
          '5005g0000002102CIX': 'REFERENCE_MISSING', // Nakamura's case: the contact failed
          '5005g0000002103DBP': 'ROW_INVALID', // owned by a user who left: not an agent of the tenant
        },
      },
      {
        mapping: 'mappings/salesforce/case-comments.yaml',
        csv: 'samples/salesforce/CaseComment.csv',
        failures: {
          '00a5g0000003101YRV': 'ROW_INVALID', // an empty comment
          '00a5g0000003102XIN': 'REFERENCE_MISSING', // on Nakamura's case, which failed
        },
      },
    ],
  },
  { name: 'HubSpot: contacts', steps: [HUBSPOT_CONTACTS] },
  {
    name: 'Zendesk: tickets and their comments (requesters from the HubSpot contacts)',
    steps: [
      HUBSPOT_CONTACTS,
      {
        mapping: 'mappings/zendesk/tickets.yaml',
        csv: 'samples/zendesk/tickets.csv',
        failures: {
          '4201': 'REFERENCE_MISSING', // a caller who is not a customer
          '4202': 'ROW_INVALID', // open with no assignee: an open status needs an agent
          '4203': 'ROW_INVALID', // assigned to an agent missing from the name map
        },
      },
      {
        mapping: 'mappings/zendesk/ticket-comments.yaml',
        csv: 'samples/zendesk/ticket-comments.csv',
        failures: {
          '9999001': 'REFERENCE_MISSING', // on ticket 4201, which failed
          '9999002': 'ROW_INVALID', // an attachment-only comment: no body
        },
      },
    ],
  },
];

function records(file: string, delimiter = ','): Array<Record<string, string>> {
  return parse(readFileSync(file), { columns: true, bom: true, delimiter, relax_column_count: true }) as Array<Record<string, string>>;
}

/** Each step's import and what it wrote, for checks added after the import (reconcile...). */
export type AfterImport = (step: Step, summary: ImportSummary, emulator: RunningEmulator) => Promise<void>;
const afterImport: AfterImport | undefined = async (step, summary, emulator) => {
  const mapping = await loadMapping(join(ROOT, step.mapping));
  const result = await reconcile({
    file: join(ROOT, step.csv),
    mapping,
    connection: { url: emulator.url, credentials: CREDENTIALS },
    state: summary.stateFile,
    out: `${summary.outDir}-reconcile`,
  });
  const lines = records(result.files.different, mapping.csv.delimiter);
  expect(result.different, lines.map((r) => `${r['key']} ${r['field']}: ${r['source']} / ${r['crm']}`).join('\n')).toBe(0);
  expect(result.extra ?? 0).toBe(0);
  expect(result.matched).toBe(summary.succeeded);
  const missing = records(result.files.missing, mapping.csv.delimiter).map((r) => r[mapping.key]);
  const invalid = Object.fromEntries(records(result.files.invalid, mapping.csv.delimiter).map((r) => [r['key'], r['code']]));
  expect(missing.sort()).toEqual(Object.keys(step.failures).filter((k) => step.failures[k] === 'WAPI_REJECTED').sort());
  expect(invalid).toEqual(Object.fromEntries(Object.entries(step.failures).filter(([, code]) => code !== 'WAPI_REJECTED')));
};

for (const recipe of RECIPES) {
  describe(recipe.name, () => {
    let dir: string;
    let emulator: RunningEmulator;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wapi-migration-'));
      emulator = await startEmulator({ port: 0 });
    });
    afterAll(async () => {
      await emulator?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    recipe.steps.forEach((step, index) => {
      it(`${index + 1}. ${step.mapping}: every row of ${step.csv} accounted for`, async () => {
        const mapping = await loadMapping(join(ROOT, step.mapping));
        const input = records(join(ROOT, step.csv), mapping.csv.delimiter);
        const summary = await importCsv({
          file: join(ROOT, step.csv),
          mapping,
          out: join(dir, `${index}-${mapping.name}`),
          state: join(dir, 'state.sqlite'),
          connection: { url: emulator.url, credentials: CREDENTIALS },
          concurrency: 4,
        });
        expect(summary.rows).toBe(input.length);
        expect(summary.succeeded + summary.failed).toBe(input.length);
        const succeeded = records(summary.files.success);
        const failed = records(summary.files.errors);
        const reported = [...succeeded, ...failed].map((r) => r['key']).sort();
        expect(reported).toEqual(input.map((r) => r[mapping.key]).sort());
        expect(new Set(reported).size).toBe(input.length);
        const failures = Object.fromEntries(failed.map((r) => [r['key'], r['code']]));
        expect(failures, failed.map((r) => `${r['key']}: ${r['error']}`).join('\n')).toEqual(step.failures);
        expect(summary.added + summary.modified + summary.unchanged).toBe(summary.succeeded);
        if (afterImport) await (afterImport)(step, summary, emulator);
      });
    });
  });
}
