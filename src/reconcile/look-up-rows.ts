/**
 * The CRM side of a small reconcile: each source row's record fetched by itself (by the id the
 * id map gives, else by its match value), rather than the whole object walked. Records the API
 * hides from plain GETs (cases and tasks of deleted agents) are asked for by the walk's slices
 * when the plain GET finds nothing, so a record is never called missing because it was hidden.
 *
 * Follow-ups are fetched a case at a time (a GET needs CASENUM). A reply as long as the server's
 * cap may have been cut: the look-ups then cannot be sure, and the caller walks instead.
 */
import pLimit from 'p-limit';
import type { WapiClient } from '../client/wapi-client.js';
import type { ObjectDef } from '../protocol/catalogue.js';
import { normaliseLineEnds } from '../protocol/escape.js';
import { slicesFor } from '../export/plan-windows.js';
import type { Tag } from '../export/plan-types.js';
import type { Item, JoinSpool, SpooledSource } from './join-spool.js';

export interface LookUpOptions {
  readonly client: WapiClient;
  readonly object: ObjectDef;
  readonly spool: JoinSpool;
  readonly matchTag: string | undefined;
  /** The server's reply cap: a reply this long may hide more. */
  readonly cap: number;
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Rows looked up so far. */
  readonly onRows?: (rows: number) => void;
}

/** `cut`: some reply came back full, so the look-ups cannot be trusted to have found everything. */
export interface LookUpOutcome {
  readonly cut: boolean;
}

/** Rows whose look-ups run before the next page is read from the spool. */
const PAGE = 1000;

export async function lookUpRows(o: LookUpOptions): Promise<LookUpOutcome> {
  const { object, spool } = o;
  const limit = pLimit(Math.max(1, o.concurrency));
  const casesRead = new Set<string>();
  const slices: readonly (readonly Tag[])[] = object.name === 'CASE' || object.name === 'TASK' ? slicesFor(object.name).map((s) => s.tags) : [[]];
  let cut = false;
  let done = 0;

  const get = async (tags: readonly Tag[]): Promise<readonly Item[]> => {
    const items = (await o.client.call({ object: object.name, action: 'GET', tags }, { signal: o.signal })).items;
    if (items.length >= o.cap) cut = true;
    return items;
  };

  /** The records with tag=value, in every slice until one has them, added to the spool. */
  const find = async (tag: string, value: string): Promise<boolean> => {
    const wanted = normaliseLineEnds(value);
    for (const slice of slices) {
      // A wildcard field treats `%` as a pattern: keep exact matches only (as the import's finder).
      const items = (await get([[tag, value], ...slice])).filter((item) => normaliseLineEnds(item[tag.toUpperCase()] ?? '') === wanted);
      if (items.length > 0) {
        spool.addRecords(items);
        return true;
      }
    }
    return false;
  };

  const lookUp = async (row: Extract<SpooledSource, { kind: 'valid' }>): Promise<void> => {
    if (object.name === 'FOLLOWUP') {
      const casenum = row.fields.find((f) => f.tag === 'CASENUM')?.value;
      if (casenum === undefined || casenum === '' || casesRead.has(casenum)) return;
      casesRead.add(casenum);
      spool.addRecords(await get([['CASENUM', casenum]]));
      return;
    }
    if (row.ident !== undefined && (await find(object.idTag, row.ident))) return;
    if (row.match !== undefined && o.matchTag !== undefined) await find(o.matchTag, row.match);
  };

  let page: Array<Extract<SpooledSource, { kind: 'valid' }>> = [];
  const runPage = async () => {
    await Promise.all(page.map((row) => limit(() => (cut ? undefined : lookUp(row)))));
    done += page.length;
    page = [];
    o.onRows?.(done);
  };
  for (const row of spool.sources(PAGE)) {
    if (row.kind !== 'valid') continue;
    page.push(row);
    if (page.length >= PAGE) await runPage();
    if (cut) return { cut };
  }
  await runPage();
  return { cut };
}
