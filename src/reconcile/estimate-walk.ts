/**
 * What reading the whole object would cost, in requests, before deciding how to read the CRM
 * side: the empty GET's TOTAL over the server's reply cap (learnt as the export learns it,
 * src/export/reply-cap.ts), times the planners' overhead. A look-up per source row costs one
 * request a row; a source of 20 rows against a million customers is cheaper looked up.
 */
import type { WapiClient } from '../client/wapi-client.js';
import type { ObjectDef } from '../protocol/catalogue.js';
import { probeCap, ReplyCap } from '../export/reply-cap.js';
import type { Item, Tag } from '../export/plan-types.js';

export interface WalkEstimate {
  /** The TOTAL the estimate is based on (follow-ups have none: the cases' TOTAL stands in). */
  readonly total: number;
  /** The reply cap: proved by a reply, given by --max-items, or a lower bound. */
  readonly cap: number;
  readonly capKnown: boolean;
  /** The cap as learnt, for the walk to go on from rather than probe again. */
  readonly replyCap: ReplyCap;
  /** Requests a walk of the object is expected to take. */
  readonly requests: number;
}

/**
 * Requests per reply's worth of records the walks took on the emulator (README "Export", cost
 * table: 0.0023 requests per record for customers at max-items 1000, about 0.002 for cases and
 * tasks), rounded up: an estimate, not a promise.
 */
const OVERHEAD = 2.5;

/** The slices a case or task walk reads apart (records the API hides unless asked). */
const SLICES: Readonly<Record<string, number>> = { CASE: 2, TASK: 4 };

export async function estimateWalk(client: WapiClient, object: ObjectDef, maxItems: number | undefined, signal?: AbortSignal): Promise<WalkEstimate> {
  const totals = new Map<string, number>();
  const send = async (name: string, tags: readonly Tag[]): Promise<readonly Item[]> => {
    const items = (await client.call({ object: name, action: 'GET', tags }, { signal })).items;
    if (tags.length === 0) totals.set(name, Number(items[0]?.['TOTAL'] ?? 0) || 0);
    return items;
  };
  const cap = new ReplyCap(maxItems);
  if (!cap.known) await probeCap(send, object.name, cap);
  const counted = object.name === 'FOLLOWUP' ? 'CASE' : object.name;
  if (!totals.has(counted)) await send(counted, []);
  const total = totals.get(counted) ?? 0;
  const slices = SLICES[object.name] ?? 1;
  // A cap not proved means one reply held every record the probe asked for: the object fits in
  // a reply or two per slice.
  const pages = cap.known ? Math.ceil(total / Math.max(1, cap.value)) : Math.min(1, total);
  const requests = Math.ceil(pages * OVERHEAD) + slices + 1;
  return { total, cap: cap.value, capKnown: cap.known, replyCap: cap, requests };
}
