/**
 * report.html of an export (src/report/run-report/): the settings, the records and ranges, the
 * failed ranges grouped by code, the requests over time.
 */
import { basename } from 'node:path';
import type { ErrorGrouper, RunReport, ThroughputSample } from '../report/run-report/index.js';
import { runStatusOf } from '../report/run-report/index.js';
import { endpointOf } from '../state/crm-scope.js';
import type { ExportOptions, ExportSummary } from './export-records.js';

export interface ExportReportContext {
  readonly options: ExportOptions;
  readonly startedAt: string;
  readonly timeline: readonly ThroughputSample[];
  readonly errors: ErrorGrouper;
}

/** report.html of an export: the records, the ranges, the failures grouped by code, the requests over time. */
export function exportRunReport(summary: ExportSummary, f: ExportReportContext): Extract<RunReport, { kind: 'export' }> {
  const grouper = f.errors;
  const rel = (file: string | null) => (file === null ? '' : basename(file));
  return {
    kind: 'export',
    title: `export of ${summary.object} records to ${basename(summary.out)}`,
    settings: [
      { name: 'endpoint', value: endpointOf(f.options.url) },
      { name: 'tenant', value: f.options.credentials.tenant },
      { name: 'object', value: summary.object },
      { name: 'file', value: summary.out },
      { name: 'max-items', value: `${summary.maxItems.value} (${summary.maxItems.source})` },
      { name: 'time zone', value: summary.timezone },
      { name: 'created from', value: f.options.createdFrom },
      { name: 'created to', value: f.options.createdTo },
      { name: 'modified from', value: f.options.modifiedFrom },
      { name: 'modified to', value: f.options.modifiedTo },
      { name: 'incremental', value: f.options.state !== undefined },
    ],
    status: runStatusOf(summary.exitCode),
    exitCode: summary.exitCode,
    startedAt: f.startedAt,
    finishedAt: new Date().toISOString(),
    elapsedMs: summary.elapsedMs,
    counts: { records: summary.records, ranges: summary.ranges, failedRanges: summary.failedRanges },
    extraCounts: [
      { label: 'requests', value: summary.requests },
      { label: 'retries', value: summary.retries },
      { label: 'hidden records (deleted agents)', value: summary.hiddenRecords },
      ...(summary.apiTotal === null ? [] : [{ label: 'TOTAL of the API', value: summary.apiTotal }]),
    ],
    timeline: f.timeline,
    errorGroups: grouper.groups(),
    errorsNotGrouped: grouper.ungrouped,
    errorsFile: { label: 'errors', href: rel(summary.errorsFile) },
    links: [
      { label: basename(summary.out), href: rel(summary.out) },
      { label: 'errors', href: rel(summary.errorsFile) },
      { label: 'summary', href: rel(summary.summaryFile) },
    ],
    notes: [
      ...(summary.countMatches === false ? [`The records the API's TOTAL counts (${summary.countedRecords}) do not match its TOTAL (${summary.apiTotal}): the file may be incomplete.`] : []),
      ...summary.warnings,
    ],
  };
}
