/**
 * report.html of a reconcile: summary.json's figures as the run report's reconcile counts, the
 * invalid rows grouped by code, and the fields that differ most.
 */
import { basename, relative } from 'node:path';
import { runStatusOf, type ErrorGroup, type RunReport, type RunSetting, type ThroughputSample } from '../report/run-report/index.js';
import type { ReconcileSummary } from './reconcile-summary.js';

export interface ReconcileReportContext {
  readonly endpoint: string;
  readonly tenant: string;
  readonly flags: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly timeline: readonly ThroughputSample[];
  readonly errorGroups: readonly ErrorGroup[];
  readonly errorsNotGrouped: number;
}

export function reconcileRunReport(s: ReconcileSummary, context: ReconcileReportContext): Extract<RunReport, { kind: 'reconcile' }> {
  const settings: RunSetting[] = [
    { name: 'endpoint', value: context.endpoint },
    { name: 'tenant', value: context.tenant },
    { name: 'mapping', value: s.mapping },
    { name: 'input', value: s.input },
    { name: 'encoding', value: s.encoding },
    { name: 'strategy', value: `${s.strategy}: ${s.strategyReason}` },
    { name: 'reports folder', value: s.outDir },
    { name: 'state file', value: s.stateFile },
    ...Object.entries(context.flags).map(([name, value]) => ({ name, value })),
  ];
  const rel = (file: string) => relative(s.outDir, file) || basename(file);
  const notes: string[] = [];
  if (s.exitCode === 0) notes.push('The source and the CRM agree.');
  notes.push(...s.warnings);
  return {
    kind: 'reconcile',
    title: `${s.mapping}: reconcile of ${basename(s.input)}`,
    settings,
    status: runStatusOf(s.exitCode),
    exitCode: s.exitCode,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    elapsedMs: s.elapsedMs,
    counts: { compared: s.sourceRows - s.invalid, same: s.same, missing: s.missing, different: s.different, extra: s.extra ?? 0 },
    differingFields: Object.entries(s.differingFields).map(([field, count]) => ({ field, count })),
    extraCounts: [
      { label: 'invalid rows', value: s.invalid },
      { label: 'differing fields', value: s.differentFields },
      { label: 'CRM records read', value: s.crmRecords },
      { label: 'requests', value: s.requests },
    ],
    timeline: context.timeline,
    errorGroups: context.errorGroups,
    errorsNotGrouped: context.errorsNotGrouped,
    errorsFile: { label: 'invalid.csv', href: rel(s.files.invalid) },
    links: [
      { label: 'missing.csv', href: rel(s.files.missing) },
      { label: 'different.csv', href: rel(s.files.different) },
      { label: 'extra.csv', href: rel(s.files.extra) },
      { label: 'repair.csv', href: rel(s.files.repair) },
      { label: 'invalid.csv', href: rel(s.files.invalid) },
      { label: 'summary.json', href: rel(s.files.summary) },
    ],
    notes,
  };
}
