/**
 * `npm run demo`: the main job end to end on the built-in emulator. Starts a Local CRM
 * in-process (a SQLite file in a temp folder), imports the four samples through their mappings,
 * runs the customer import again to show an idempotent upsert, then exports everything back to
 * CSV and shows the files.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { startEmulator } from './emulator/index.js';
import { exportRecords } from './export/export-records.js';
import { importCsv, type ImportSummary } from './import/import-csv.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const credentials = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };
const out = (line = '') => process.stdout.write(`${line}\n`);

function showImport(name: string, s: ImportSummary): void {
  out(
    `  ${name.padEnd(10)} rows ${String(s.rows).padStart(3)}  ok ${String(s.succeeded).padStart(3)}` +
      `  failed ${s.failed}  (added ${s.added}, modified ${s.modified}, unchanged ${s.unchanged})` +
      `  requests ${s.requests}  ${s.elapsedMs} ms`,
  );
}

/** The first lines of a CSV, cut to the terminal's width. */
function head(file: string, lines: number): void {
  const width = process.stdout.columns ?? 120;
  for (const line of readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\n').slice(0, lines)) {
    out(`    ${line.length > width - 6 ? `${line.slice(0, width - 7)}…` : line}`);
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'wapi-bulk-demo-'));
  const emulator = await startEmulator({ port: 0, db: join(work, 'crm.sqlite') });
  try {
    out(`Local CRM emulator (tenant AcmeJets) listening on ${emulator.url}`);
    out(`Working folder: ${work}\n`);
    const connection = { url: emulator.url, credentials };
    const state = join(work, 'state.sqlite');

    out('1. Import the samples (customers first: the others refer to them by legacy id)');
    const summaries: ImportSummary[] = [];
    for (const name of ['customers', 'cases', 'tasks', 'followups']) {
      const summary = await importCsv({
        file: join(root, 'samples', `${name}.csv`),
        mapping: join(root, 'mappings', `${name}.yaml`),
        out: join(work, 'import', name),
        state,
        connection,
      });
      summaries.push(summary);
      showImport(name, summary);
    }

    out('\n   Rows that failed, each with its stage and a reason (errors.csv, re-importable once fixed):');
    for (const s of summaries) {
      const rows = parse(readFileSync(s.files.errors), { columns: true, bom: true }) as Array<Record<string, string>>;
      for (const r of rows) out(`    ${s.mapping} row ${r['row']} (${r['key']}), ${r['stage']}: ${r['error']}`);
    }

    out('\n2. Import the customers again: an upsert by LEGACY_ID finds every record unchanged');
    showImport('customers', await importCsv({
      file: join(root, 'samples', 'customers.csv'),
      mapping: join(root, 'mappings', 'customers.yaml'),
      out: join(work, 'import', 'customers-again'),
      state,
      connection,
    }));

    out('\n3. Export every record back to CSV (ids ascending, checked against the server\'s TOTAL)');
    for (const object of ['customer', 'case', 'task', 'followup']) {
      const file = join(work, 'export', `${object}s.csv`);
      const s = await exportRecords({ object, out: file, url: emulator.url, credentials });
      const check = s.countMatches === null ? '' : s.countMatches ? ', matches TOTAL' : ', DOES NOT match TOTAL';
      out(`  ${object.padEnd(9)} ${String(s.records).padStart(3)} records${check}  requests ${s.requests}  ${s.elapsedMs} ms  -> ${file}`);
    }
    out('\n   customers.csv:');
    head(join(work, 'export', 'customers.csv'), 4);
    out(`\nAll files are in ${work}`);
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
