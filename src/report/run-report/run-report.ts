/**
 * The input of report.html: everything a person needs to judge a run at a glance. Built by the
 * import, export, reconcile and undo at the end of a run (an adapter per command), rendered by
 * renderRunReport. Plain data: no streams, no clocks.
 */
import type { ErrorGroup } from './error-grouper.js';
import type { ThroughputSample } from './throughput-recorder.js';

export type RunKind = 'import' | 'export' | 'reconcile' | 'undo';

/**
 * How the run ended. `succeeded`: everything went through (exit 0); `partial`: the run finished
 * but some rows or ranges failed (exit 1); `failed`: it stopped early or could not start (exit 2);
 * `interrupted`: stopped by the operator (Ctrl-C).
 */
export type RunStatus = 'succeeded' | 'partial' | 'failed' | 'interrupted';

/** The status a run's exit code stands for (0, 1, 130; anything else failed). */
export function runStatusOf(exitCode: number): RunStatus {
  return exitCode === 0 ? 'succeeded' : exitCode === 1 ? 'partial' : exitCode === 130 ? 'interrupted' : 'failed';
}

export interface ImportCounts {
  readonly rows: number;
  readonly added: number;
  readonly modified: number;
  readonly unchanged: number;
  /** Rows not sent because an earlier run already added their key (an `add` re-run). */
  readonly skipped: number;
  /** Records an `action: delete` run deleted. */
  readonly deleted: number;
  /** Rows that passed every check offline, where only the server could say add or modify. */
  readonly validated: number;
  readonly failed: number;
  /** Rows the run never reached: it stopped before them (resumable). */
  readonly pending: number;
}

export interface ExportCounts {
  readonly records: number;
  readonly ranges: number;
  readonly failedRanges: number;
}

export interface ReconcileCounts {
  /** Rows of the CSV compared. */
  readonly compared: number;
  readonly same: number;
  /** In the CSV, not in the CRM. */
  readonly missing: number;
  readonly different: number;
  /** In the CRM, not in the CSV. */
  readonly extra: number;
}

export interface UndoCounts {
  readonly deleted: number;
  readonly restored: number;
  readonly refused: number;
}

/** One run setting as shown: endpoint, tenant, mapping, input, flags. */
export interface RunSetting {
  readonly name: string;
  readonly value: string | number | boolean | undefined;
}

/** A file beside report.html (success.csv, errors.csv...), by a path relative to it. */
export interface RunLink {
  readonly label: string;
  readonly href: string;
}

/** Reconcile: a field and how many records differ in it. */
export interface DifferingField {
  readonly field: string;
  readonly count: number;
}

interface RunReportBase {
  /** What the page's title says: "customers: import of samples/customers.csv". */
  readonly title: string;
  readonly settings: readonly RunSetting[];
  readonly status: RunStatus;
  readonly exitCode: number;
  /** ISO 8601 timestamps. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly elapsedMs: number;
  /** More figures shown small under the main ones: requests, retries, warnings... */
  readonly extraCounts?: readonly { readonly label: string; readonly value: number }[];
  /** The recorder's samples (ThroughputRecorder.samples()); empty for a run too short to chart. */
  readonly timeline: readonly ThroughputSample[];
  /** ErrorGrouper.groups(), and the errors it did not itemise (past its cap of codes). */
  readonly errorGroups: readonly ErrorGroup[];
  readonly errorsNotGrouped?: number;
  /** The errors file, linked from the errors section. */
  readonly errorsFile?: RunLink;
  readonly links: readonly RunLink[];
  /** A line about the run worth saying at the top (why it stopped, a mismatch...). */
  readonly notes?: readonly string[];
}

export type RunReport =
  | (RunReportBase & { readonly kind: 'import'; readonly counts: ImportCounts })
  | (RunReportBase & { readonly kind: 'export'; readonly counts: ExportCounts })
  | (RunReportBase & { readonly kind: 'reconcile'; readonly counts: ReconcileCounts; readonly differingFields?: readonly DifferingField[] })
  | (RunReportBase & { readonly kind: 'undo'; readonly counts: UndoCounts });
