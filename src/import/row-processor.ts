import { objectDef, type ObjectDef } from '../protocol/catalogue.js';
import { WapiBulkError } from '../protocol/errors.js';
import type { Mapping, MappedRow } from '../mapping/types.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import { applyMapping } from '../mapping/apply-mapping.js';
import { RowError } from '../mapping/row-error.js';
import { validateRecord } from '../mapping/validate-record.js';
import type { RowResult, RunJournal } from '../state/run-journal.js';
import { KeyIndex } from './key-index.js';
import { describe, failed, type RowReport } from './row-result.js';
import type { RowSender, SentRow } from './row-sender.js';

/**
 * Where a RowView keeps its fields: a symbol, which no column name can be (found in review: kept
 * under the name `f`, a CSV with a column `f` was an internal error).
 */
const FIELDS = Symbol('fields');

type RowViewThis = { [FIELDS]: readonly string[] };

/** A row as a mapping reads it: the header's names as getters over the parsed fields, no copy per row. */
export function rowViewClass(header: readonly string[]): new (fields: readonly string[]) => Readonly<Record<string, string>> {
  function RowView(this: RowViewThis, fields: readonly string[]) {
    this[FIELDS] = fields;
  }
  // A duplicated column name reads its last occurrence, as a plain object built in order would.
  const seen = new Map<string, number>();
  header.forEach((name, i) => seen.set(name, i));
  for (const [name, i] of seen) {
    Object.defineProperty(RowView.prototype, name, {
      get(this: RowViewThis) {
        return this[FIELDS][i];
      },
      enumerable: true,
    });
  }
  return RowView as unknown as new (fields: readonly string[]) => Readonly<Record<string, string>>;
}

export interface RowProcessorOptions {
  readonly mapping: Mapping;
  /** The input's header, as read. */
  readonly header: readonly string[];
  /** Tenant lists for validation; undefined offline (catalogue rules only). */
  readonly lists?: TenantLists | undefined;
  /** The network half; undefined offline, where a row that passes the checks is reported as is. */
  readonly sender?: RowSender | undefined;
  /** The run's journal; undefined in dry runs and offline. */
  readonly journal?: RunJournal | undefined;
  /** --resume: rows the journal has finished are reported from it, not processed again. */
  readonly resuming?: boolean;
  readonly onWarning?: (row: number, message: string) => void;
  /**
   * For an `add` mapping: the id an earlier run gave this key in this CRM, with the run; such a
   * row is not sent again (`skipped`) unless --force-add. Undefined: no look-up (offline).
   */
  readonly alreadyImported?: ((key: string) => { id: string; runId?: number | undefined } | undefined) | undefined;
}

/**
 * One input row through parse -> map -> validate, synchronously, then the sender's network
 * steps (returned as a promise) when there is a server. Every failure becomes a RowReport;
 * only what stops the run (a bug, the state file, a refused login) throws.
 */
export class RowProcessor {
  private readonly keyIndex: number;
  private readonly object: ObjectDef;
  /** The id modify/upsert finds: filled in after validation. */
  private readonly pendingId: string[];
  private readonly offlineOutcome: RowReport['outcome'];
  /**
   * A row as the mapping reads it, `row[column]`: one small object over the parsed fields, its
   * column names getters on a prototype built once from the header, instead of a fresh
   * dictionary of every column per row.
   */
  private readonly RowView: new (fields: readonly string[]) => Readonly<Record<string, string>>;
  /** Rows in flight per key: a second row for the same record waits for the first. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** The first row of every key seen: a key twice in one file is an error from its second row on. */
  private readonly keys = new KeyIndex();

  constructor(private readonly o: RowProcessorOptions) {
    this.RowView = rowViewClass(o.header);
    // The last column of a repeated name, as every mapped field reads it ("the last one wins").
    this.keyIndex = o.header.lastIndexOf(o.mapping.key);
    if (this.keyIndex < 0) throw new WapiBulkError('CSV_INVALID', `the key column "${o.mapping.key}" is not in the header`);
    this.object = objectDef(o.mapping.objectName) as ObjectDef;
    this.pendingId = o.mapping.action !== 'add' ? [this.object.idTag] : [];
    this.offlineOutcome = o.mapping.action === 'add' ? 'added' : o.mapping.action === 'modify' ? 'modified' : o.mapping.action === 'delete' ? 'deleted' : 'validated';
  }

  /**
   * The row's report when it is known without a request (offline, resumed, or failed before
   * any), else the network half as a function for the stage's pool to run.
   */
  process(row: number, fields: readonly string[]): RowReport | (() => Promise<SentRow | undefined>) {
    const key = fields[this.keyIndex] ?? '';
    // Every row's key is recorded, resumed rows too, so a repeat is told the same way every run.
    const first = key.trim() === '' || fields.length !== this.o.header.length ? undefined : this.keys.firstRow(key, row);
    let inFlight: 'add' | 'modify' | 'delete' | undefined;
    if (this.o.resuming && this.o.journal) {
      const entry = this.o.journal.get(row);
      if (entry?.status === 'done') {
        return { row, key: entry.key, outcome: entry.outcome ?? 'failed', id: entry.id, stage: entry.stage, code: entry.code, error: entry.error, note: entry.note };
      }
      if (entry?.status === 'pending') inFlight = entry.planned;
    }
    if (first !== undefined) {
      // Found in review: the second row of a key was "modified" over the first without a word.
      const report = failed(row, key, 'key', 'DUPLICATE_KEY', `key ${key} is also on row ${first}: each row needs its own key (the reports, the id map and --resume go by it); fix the key or remove the repeat`);
      this.o.journal?.finish(report);
      return report;
    }
    const earlier = this.o.mapping.action === 'add' && inFlight === undefined ? this.o.alreadyImported?.(key) : undefined;
    if (earlier) {
      const note = `already imported as ${earlier.id}${earlier.runId === undefined ? '' : ` by run ${earlier.runId}`} (add --force-add to send it anyway)`;
      const report: RowReport = { row, key, outcome: 'skipped', id: earlier.id, note };
      this.o.journal?.finish(report as RowResult);
      return report;
    }
    const prepared = this.prepare(row, key, fields);
    if ('outcome' in prepared) {
      this.o.journal?.finish({ ...prepared, outcome: 'failed' });
      return prepared;
    }
    const sender = this.o.sender;
    if (!sender) return { row, key, outcome: this.offlineOutcome, id: '' };
    return () => {
      const chainKey = this.chainKey(key, prepared);
      const previous = this.chains.get(chainKey);
      const work = previous
        ? previous.then(() => sender.send({ row, key, mapped: prepared, inFlight }))
        : sender.send({ row, key, mapped: prepared, inFlight });
      const tail = work.catch(() => undefined);
      this.chains.set(chainKey, tail);
      void tail.then(() => {
        if (this.chains.get(chainKey) === tail) this.chains.delete(chainKey);
      });
      return work;
    };
  }

  /** The mapped row, or the failure that stops it before any request. */
  private prepare(row: number, key: string, fields: readonly string[]): MappedRow | RowReport {
    const header = this.o.header;
    if (fields.length !== header.length) {
      return failed(row, key, 'parse', 'ROW_INVALID', `row has ${fields.length} fields, header has ${header.length}`);
    }
    if (key.trim() === '') {
      return failed(row, key, 'map', 'ROW_INVALID', `the key column "${this.o.mapping.key}" is empty (every row needs a key: reports, the id map and --resume use it)`);
    }
    const record = new this.RowView(fields);
    let mapped: MappedRow;
    try {
      mapped = applyMapping(this.o.mapping, record);
    } catch (error) {
      if (error instanceof RowError) return failed(row, key, error.stage, error.code, describe(error));
      throw error;
    }
    for (const warning of mapped.warnings) this.o.onWarning?.(row, warning);
    // A delete row is checked as a Modify would be: its id or match value is all it sends.
    const action = this.o.mapping.action === 'add' ? 'ADD' : 'MODIFY';
    // Only the references this row has are still to come: an empty one is a missing field now
    // (found in review: a case with an empty customer reference went to the server, which said
    // ACCOUNTNUM was not passed).
    const pending = mapped.refs.length === 0 ? this.pendingId : [...mapped.refs.map((r) => r.tag), ...this.pendingId];
    const problems = validateRecord(this.object.name, action, mapped.fields, this.o.lists, { pending });
    if (problems.length > 0) return failed(row, key, 'validate', 'ROW_INVALID', problems.map((p) => p.message).join('; '));
    return mapped;
  }

  /** Rows that would find or create the same record run one after the other. */
  private chainKey(key: string, mapped: MappedRow): string {
    const match = this.o.mapping.match;
    if (match !== undefined) {
      // Mapped tags and `match` are both in the catalogue's spelling (the mapping loader's).
      const hit = mapped.fields.find(([tag]) => tag === match) ?? mapped.refs.find((r) => r.tag === match);
      if (hit) return `m\u0000${Array.isArray(hit) ? hit[1] : hit.value}`;
    }
    return `k\u0000${key}`;
  }
}
