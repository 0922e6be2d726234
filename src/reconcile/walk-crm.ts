/**
 * The CRM side of a reconcile by walking the whole object with the export's planner (every
 * record once, in ~TOTAL/max-items requests, the cap learnt on the way), into the join spool.
 * The walk's own checks are kept: a range that failed, a count that does not match TOTAL or
 * replies cut at one size below the assumed cap mean records may be missing from the CRM side,
 * and the run must not call source rows "missing" silently on that basis.
 */
import type { WapiClient } from '../client/wapi-client.js';
import type { ObjectDef } from '../protocol/catalogue.js';
import type { FailedRange } from '../export/plan-types.js';
import { startWalk } from '../export/record-walk.js';
import type { CapSource, ReplyCap } from '../export/reply-cap.js';
import type { JoinSpool } from './join-spool.js';

export interface WalkOutcome {
  /** Records read (each once). */
  readonly records: number;
  /** The empty GET's TOTAL where the object has one. */
  readonly apiTotal: number | null;
  /** Records TOTAL counts == TOTAL; null when no check applies (follow-ups). */
  readonly countMatches: boolean | null;
  readonly failedRanges: readonly FailedRange[];
  /** Why the CRM side may be incomplete, one line each; empty when it is complete. */
  readonly problems: readonly string[];
  readonly maxItems: { readonly value: number; readonly source: CapSource };
}

export interface WalkCrmOptions {
  readonly client: WapiClient;
  readonly object: ObjectDef;
  readonly spool: JoinSpool;
  /** --max-items N; undefined: learnt (by the estimate when `cap` is given, else by the walk). */
  readonly maxItems: number | undefined;
  readonly cap?: ReplyCap | undefined;
  readonly concurrency: number;
  readonly timeZone: string;
  readonly now: Date;
  readonly onFailure?: (failure: FailedRange) => void;
  /** Cancels the walk: its requests stop and it rejects with WAPI_ABORTED. */
  readonly signal?: AbortSignal | undefined;
}

/** Failed ranges kept in the summary; the rest are counted. */
const KEPT_FAILURES = 100;

export async function walkCrm(o: WalkCrmOptions): Promise<WalkOutcome> {
  const failures: FailedRange[] = [];
  let failed = 0;
  const walk = await startWalk({
    client: o.client,
    object: o.object,
    filter: {},
    maxItems: o.maxItems,
    cap: o.cap,
    concurrency: o.concurrency,
    timeZone: o.timeZone,
    now: o.now,
    signal: o.signal,
    onFailure: (failure) => {
      failed++;
      if (failures.length < KEPT_FAILURES) failures.push(failure);
      o.onFailure?.(failure);
    },
  });
  let counted = 0;
  let withoutId = 0;
  // The planner's batches as they come (in any order: the spool keys them), not the export's
  // ordered rows, which would spool day windows a second time.
  for await (const batch of walk.plan.batches) {
    const added = o.spool.addRecords(batch.rows);
    if (batch.counted) counted += added.added;
    withoutId += added.withoutId;
  }
  const problems: string[] = [];
  if (failed > 0) problems.push(`${failed} ${failed === 1 ? 'query' : 'queries'} of the CRM failed after retries (first: ${failures[0]?.query}: ${failures[0]?.message}): records there were not read`);
  const expected = walk.plan.expectedTotal;
  const countMatches = expected === undefined ? null : counted === expected;
  if (countMatches === false) problems.push(`read ${counted} records the CRM's TOTAL counts, but its TOTAL is ${expected}: records may have been missed (or were added or deleted during the run)`);
  const suspicion = walk.cap.suspicion();
  if (suspicion) problems.push(suspicion);
  if (withoutId > 0) problems.push(`${withoutId} records came without a usable ${o.object.idTag} and could not be compared`);
  return {
    records: o.spool.records,
    apiTotal: walk.plan.apiTotal ?? null,
    countMatches,
    failedRanges: failures,
    problems,
    maxItems: { value: walk.cap.value, source: walk.cap.source },
  };
}
