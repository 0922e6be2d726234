/**
 * summary.json of a reconcile, and what `reconcile()` resolves to. The row counts always add up:
 * sourceRows = matched + missing + invalid, matched = same + different.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../report/report-writer.js';
import type { ReconcileFilePaths } from './reconcile-files.js';

/** How the CRM side was read: the whole object walked, or each source row's record fetched. */
export type ReconcileStrategy = 'walk' | 'lookup';

/** `completed`: both sides read in full; `incomplete`: the CRM side may lack records (see warnings). */
export type ReconcileStatus = 'completed' | 'incomplete';

export interface ReconcileSummary {
  readonly status: ReconcileStatus;
  /** 0: the source and the CRM agree; 1: they differ, or the CRM side could not be read in full. */
  readonly exitCode: 0 | 1;
  readonly mapping: string;
  readonly object: string;
  readonly input: string;
  readonly encoding: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly strategy: ReconcileStrategy;
  /** Why: the estimate that chose it, or the flag. */
  readonly strategyReason: string;
  readonly sourceRows: number;
  /** Source rows with their CRM record: same + different. */
  readonly matched: number;
  readonly same: number;
  /** Source rows with no CRM record (missing.csv). */
  readonly missing: number;
  /** Source rows whose record differs in one field or more (different.csv, one line a field). */
  readonly different: number;
  /** Lines of different.csv. */
  readonly differentFields: number;
  /** CRM records whose match value no source row has; null when not looked for (see warnings). */
  readonly extra: number | null;
  /** Source rows the import would refuse (invalid.csv): not compared. */
  readonly invalid: number;
  /** Per field, how many rows differ in it. */
  readonly differingFields: Readonly<Record<string, number>>;
  /** CRM records read. */
  readonly crmRecords: number;
  /** HTTP requests, retries included. */
  readonly requests: number;
  readonly retries: number;
  readonly estimate: { readonly walkRequests: number | null; readonly lookupRequests: number };
  /** The walk's own checks (walk strategy only). */
  readonly walk: {
    readonly apiTotal: number | null;
    readonly countMatches: boolean | null;
    readonly failedRanges: number;
    readonly maxItems: { readonly value: number; readonly source: string };
  } | null;
  readonly elapsedMs: number;
  /** Reading both sides (connecting included), then the join and the files. */
  readonly timings: { readonly readMs: number; readonly compareMs: number };
  readonly warnings: readonly string[];
  readonly escapedFormulas: boolean;
  readonly outDir: string;
  readonly stateFile: string;
  readonly files: ReconcileFilePaths & { readonly summary: string; report: string | undefined };
}

/** Write summary.json (everything but the paths, which the folder makes plain). */
export async function writeReconcileSummary(dir: string, summary: ReconcileSummary): Promise<string> {
  const file = join(dir, 'summary.json');
  const { files: _files, outDir: _outDir, ...rest } = summary;
  await writeFile(file, `${JSON.stringify(rest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  return file;
}
