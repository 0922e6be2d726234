/**
 * report.html of an import: the summary, the errors the sink grouped as rows failed, and the
 * throughput recorded during the run, as the run report's input.
 */
import { basename, relative } from 'node:path';
import { runStatusOf, type RunReport, type RunSetting, type ThroughputSample } from '../report/run-report/index.js';
import type { ImportSummary } from './import-csv.js';

export interface ImportReportContext {
  readonly input: string;
  /** The endpoint as shown: never with credentials in it. */
  readonly endpoint?: string | undefined;
  readonly tenant?: string | undefined;
  readonly flags?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly timeline: readonly ThroughputSample[];
}

export function importRunReport(summary: ImportSummary, context: ImportReportContext): Extract<RunReport, { kind: 'import' }> {
  const settings: RunSetting[] = [
    { name: 'endpoint', value: context.endpoint },
    { name: 'tenant', value: context.tenant },
    { name: 'mapping', value: summary.mapping },
    { name: 'input', value: context.input },
    { name: 'encoding', value: summary.encoding },
    { name: 'mode', value: summary.mode },
    { name: 'run', value: summary.runId },
    { name: 'reports folder', value: summary.outDir },
    { name: 'state file', value: summary.stateFile },
    ...Object.entries(context.flags ?? {}).map(([name, value]) => ({ name, value })),
  ];
  const rel = (file: string) => relative(summary.outDir, file) || basename(file);
  const validated = summary.succeeded - summary.added - summary.modified - summary.unchanged - summary.skipped - summary.deleted;
  const notes: string[] = [];
  if (summary.status !== 'completed') notes.push(`The run stopped before its end: ${summary.stopReason ?? 'interrupted'}. ${summary.runId !== undefined ? 'Run the same command with --resume to continue.' : ''}`.trim());
  if (summary.mode !== 'import') notes.push(summary.mode === 'dry-run' ? 'A dry run: nothing was written to the CRM.' : 'An offline validation: no server was asked.');
  return {
    kind: 'import',
    title: `${summary.mapping}: ${summary.mode === 'import' ? 'import' : summary.mode} of ${basename(context.input)}`,
    settings,
    status: runStatusOf(summary.exitCode),
    exitCode: summary.exitCode,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    elapsedMs: summary.elapsedMs,
    counts: {
      rows: summary.rows,
      added: summary.added,
      modified: summary.modified,
      unchanged: summary.unchanged,
      skipped: summary.skipped,
      deleted: summary.deleted,
      validated,
      failed: summary.failed,
      pending: summary.pending,
    },
    extraCounts: [
      { label: 'requests', value: summary.requests },
      { label: 'retries', value: summary.retries },
      { label: 'warnings', value: summary.warnings },
    ],
    timeline: context.timeline,
    errorGroups: summary.errorGroups,
    errorsNotGrouped: summary.errorsNotGrouped,
    errorsFile: { label: 'errors.csv', href: rel(summary.files.errors) },
    links: [
      { label: 'success.csv', href: rel(summary.files.success) },
      { label: 'errors.csv', href: rel(summary.files.errors) },
      { label: 'summary.json', href: rel(summary.files.summary) },
    ],
    notes,
  };
}
