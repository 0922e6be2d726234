/**
 * The adapter from an import's results to report.html's input, kept here until the import
 * writes report.html itself: the lead moves it into src/import and calls it at the end of
 * importCsv. It reads errors.csv back as a stream (bounded memory, whatever its size).
 */
import { createReadStream } from 'node:fs';
import { basename, relative } from 'node:path';
import { parse } from 'csv-parse';
import type { ImportSummary } from '../../src/import/import-csv.js';
import { ERROR_COLUMNS } from '../../src/report/report-columns.js';
import { ErrorGrouper, type RunReport, type RunSetting, type ThroughputSample } from '../../src/report/run-report/index.js';

export interface ImportRunContext {
  readonly input: string;
  readonly url?: string;
  readonly tenant?: string;
  readonly username?: string;
  readonly flags?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly exitCode: number;
  readonly timeline: readonly ThroughputSample[];
  /** The delimiter errors.csv was written with (the mapping's). */
  readonly delimiter?: string;
}

export async function importRunReport(summary: ImportSummary, context: ImportRunContext): Promise<Extract<RunReport, { kind: 'import' }>> {
  const grouper = new ErrorGrouper();
  const parser = createReadStream(summary.files.errors).pipe(parse({ columns: true, bom: true, delimiter: context.delimiter ?? ',', relax_column_count: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    const values = Object.fromEntries(Object.entries(record).filter(([column]) => !(ERROR_COLUMNS as readonly string[]).includes(column)));
    grouper.add({ row: record['row'] ?? '', key: record['key'], stage: record['stage'], code: record['code'] ?? '', message: record['error'] ?? '', values });
  }
  const settings: RunSetting[] = [
    { name: 'endpoint', value: context.url },
    { name: 'tenant', value: context.tenant },
    { name: 'CRM API user', value: context.username },
    { name: 'mapping', value: summary.mapping },
    { name: 'input', value: context.input },
    { name: 'mode', value: summary.mode },
    { name: 'reports folder', value: summary.outDir },
    { name: 'state file', value: summary.stateFile },
    ...Object.entries(context.flags ?? {}).map(([name, value]) => ({ name, value })),
  ];
  const rel = (file: string) => relative(summary.outDir, file) || basename(file);
  const status = context.exitCode === 0 ? 'succeeded' : context.exitCode === 1 ? 'partial' : context.exitCode === 130 ? 'interrupted' : 'failed';
  return {
    kind: 'import',
    title: `${summary.mapping}: ${summary.mode === 'import' ? 'import' : summary.mode} of ${basename(context.input)}`,
    settings,
    status,
    exitCode: context.exitCode,
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    elapsedMs: summary.elapsedMs,
    counts: {
      rows: summary.rows,
      added: summary.added,
      modified: summary.modified,
      unchanged: summary.unchanged,
      skipped: summary.succeeded - summary.added - summary.modified - summary.unchanged,
      failed: summary.failed,
    },
    extraCounts: [
      { label: 'requests', value: summary.requests },
      { label: 'retries', value: summary.retries },
      { label: 'warnings', value: summary.warnings },
    ],
    timeline: context.timeline,
    errorGroups: grouper.groups(),
    errorsNotGrouped: grouper.ungrouped,
    errorsFile: { label: 'errors.csv', href: rel(summary.files.errors) },
    links: [
      { label: 'success.csv', href: rel(summary.files.success) },
      { label: 'errors.csv', href: rel(summary.files.errors) },
      { label: 'summary.json', href: rel(summary.files.summary) },
    ],
  };
}
