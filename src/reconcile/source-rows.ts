/**
 * One source row as the import would see it, without sending anything: parse, key, map,
 * validate, references (the import's RowProcessor.prepare and RowSender.resolveRefs, whose
 * failures reconcile reports as invalid rows rather than as missing ones), then what the row
 * joins on: the record id the id map (or the mapping's `id:` column) gives it, and its `match`
 * value.
 */
import { objectDef, fieldDef, type ObjectDef } from '../protocol/catalogue.js';
import { ApiRejection, TransportError } from '../protocol/errors.js';
import { applyMapping } from '../mapping/apply-mapping.js';
import { RowError } from '../mapping/row-error.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import type { Mapping, MappedRow, RefSpec } from '../mapping/types.js';
import { validateRecord } from '../mapping/validate-record.js';
import { KeyIndex } from '../import/key-index.js';
import { describe } from '../import/row-result.js';
import { rowViewClass } from '../import/row-processor.js';
import type { RecordFinder } from '../import/record-finder.js';
import type { CrmScope } from '../state/crm-scope.js';
import type { StateStore } from '../state/state-store.js';

/** One field the row sends: its tag, its value, and for a reference the legacy value it came from. */
export interface SourceField {
  readonly tag: string;
  readonly value: string;
  /** A reference's source, `customers C1` or `customer EMAIL ann@example.com`, for the reports. */
  readonly from?: string;
}

export interface ValidRow {
  readonly kind: 'valid';
  readonly row: number;
  readonly key: string;
  /** The record it joins on first: the CRM id (follow-ups: `CASENUM/FOLLOWUPNUM`), when known. */
  readonly ident: string | undefined;
  /** The mapping's `match` value (after references), when the mapping has one. */
  readonly match: string | undefined;
  /** Every field the import would send, references resolved, in mapping order. */
  readonly fields: readonly SourceField[];
}

export interface InvalidRow {
  readonly kind: 'invalid';
  readonly row: number;
  readonly key: string;
  readonly stage: string;
  readonly code: string;
  readonly message: string;
  /** The match value, when mapping got that far: such a CRM record is not "extra". */
  readonly match: string | undefined;
}

export type SourceRow = ValidRow | InvalidRow;

export interface SourceRowsOptions {
  readonly mapping: Mapping;
  readonly header: readonly string[];
  readonly lists: TenantLists | undefined;
  readonly state: StateStore;
  readonly scope: CrmScope;
  /** For `ref: { object, by }`: cached GETs, as the import's. */
  readonly finder: RecordFinder;
}

const OBJECT_WORD: Record<string, string> = { ACCOUNTNUM: 'customer', CASENUM: 'case', TASKNUM: 'task' };

class Invalid extends Error {
  constructor(
    readonly stage: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SourceRows {
  private readonly object: ObjectDef;
  private readonly keyIndex: number;
  private readonly RowView: new (fields: readonly string[]) => Readonly<Record<string, string>>;
  private readonly keys = new KeyIndex();
  private readonly action: 'ADD' | 'MODIFY';
  private readonly pendingId: string[];

  constructor(private readonly o: SourceRowsOptions) {
    this.object = objectDef(o.mapping.objectName) as ObjectDef;
    this.keyIndex = o.header.lastIndexOf(o.mapping.key);
    this.RowView = rowViewClass(o.header);
    this.action = o.mapping.action === 'add' ? 'ADD' : 'MODIFY';
    this.pendingId = o.mapping.action !== 'add' ? [this.object.idTag] : [];
  }

  /**
   * The row's outcome, synchronously unless a look-up reference needs a GET. Throws only what
   * stops the run: a refused login or a missing access right.
   */
  prepare(row: number, fields: readonly string[]): SourceRow | Promise<SourceRow> {
    const key = fields[this.keyIndex] ?? '';
    const header = this.o.header;
    if (fields.length !== header.length) return this.invalid(row, key, 'parse', 'ROW_INVALID', `row has ${fields.length} fields, header has ${header.length}`);
    if (key.trim() === '') {
      return this.invalid(row, key, 'map', 'ROW_INVALID', `the key column "${this.o.mapping.key}" is empty (every row needs a key: reports, the id map and --resume use it)`);
    }
    const first = this.keys.firstRow(key, row);
    if (first !== undefined) {
      return this.invalid(row, key, 'key', 'DUPLICATE_KEY', `key ${key} is also on row ${first}: the import refuses a key's second row (fix the key or remove the repeat)`);
    }
    let mapped: MappedRow;
    try {
      mapped = applyMapping(this.o.mapping, new this.RowView(fields));
    } catch (error) {
      if (error instanceof RowError) return this.invalid(row, key, error.stage, error.code, describe(error));
      throw error;
    }
    const match = this.matchOf(mapped);
    const pending = mapped.refs.length === 0 ? this.pendingId : [...mapped.refs.map((r) => r.tag), ...this.pendingId];
    const problems = validateRecord(this.object.name, this.action, mapped.fields, this.o.lists, { pending });
    if (problems.length > 0) return this.invalid(row, key, 'validate', 'ROW_INVALID', problems.map((p) => p.message).join('; '), match);
    const out: SourceField[] = mapped.fields.map(([tag, value]) => ({ tag, value }));
    if (mapped.refs.some((r) => r.ref.kind === 'lookup' && r.value !== '')) return this.withLookups(row, key, mapped, out);
    try {
      for (const ref of mapped.refs) {
        const resolved = this.fromIdMap(ref);
        if (resolved) out.push(resolved);
      }
    } catch (error) {
      if (error instanceof Invalid) return this.invalid(row, key, error.stage, error.code, error.message, match);
      throw error;
    }
    return this.valid(row, key, mapped, out);
  }

  private async withLookups(row: number, key: string, mapped: MappedRow, out: SourceField[]): Promise<SourceRow> {
    try {
      for (const ref of mapped.refs) {
        const resolved = ref.ref.kind === 'lookup' ? await this.byLookup(ref as { tag: string; ref: Extract<RefSpec, { kind: 'lookup' }>; value: string }) : this.fromIdMap(ref);
        if (resolved) out.push(resolved);
      }
    } catch (error) {
      if (error instanceof Invalid) return this.invalid(row, key, error.stage, error.code, error.message, this.matchOf(mapped));
      throw error;
    }
    return this.valid(row, key, mapped, out);
  }

  private valid(row: number, key: string, mapped: MappedRow, fields: readonly SourceField[]): ValidRow {
    const match = this.o.mapping.match === undefined ? undefined : fields.find((f) => f.tag === this.o.mapping.match)?.value;
    return { kind: 'valid', row, key, ident: this.identOf(key, mapped, fields), match, fields };
  }

  private invalid(row: number, key: string, stage: string, code: string, message: string, match?: string): InvalidRow {
    return { kind: 'invalid', row, key, stage, code, message, match };
  }

  /** The match value as mapped (a reference as its resolved id is known only later). */
  private matchOf(mapped: MappedRow): string | undefined {
    const match = this.o.mapping.match;
    return match === undefined ? undefined : mapped.fields.find(([tag]) => tag === match)?.[1];
  }

  /**
   * The CRM id the row's record had when it was imported: the `id:` column of a modify mapping,
   * else the id map's entry for its key in this CRM. A follow-up is named by its case and its
   * number within the case (README "Readings of the guide").
   */
  private identOf(key: string, mapped: MappedRow, fields: readonly SourceField[]): string | undefined {
    if (mapped.id !== undefined) return mapped.id;
    const hit = this.o.state.getId(this.o.scope, this.o.mapping.name, key);
    if (!hit) return undefined;
    if (this.object.name !== 'FOLLOWUP') return hit.id;
    const casenum = fields.find((f) => f.tag === 'CASENUM')?.value;
    return casenum ? `${casenum}/${hit.id}` : undefined;
  }

  /** An empty reference: the import's missing mandatory field, or nothing to send. */
  private emptyRef(tag: string): undefined {
    const mandatory = fieldDef(this.object, tag)?.actions.ADD === 'M' && this.o.mapping.action !== 'modify';
    if (mandatory) throw new Invalid('reference', 'REFERENCE_MISSING', `${tag}: the reference is empty, and ${tag} is mandatory`);
    return undefined;
  }

  private fromIdMap(ref: MappedRow['refs'][number]): SourceField | undefined {
    if (ref.value === '') return this.emptyRef(ref.tag);
    if (ref.ref.kind !== 'mapping') throw new Error('internal: a look-up reference resolved from the id map');
    const hit = this.o.state.getId(this.o.scope, ref.ref.mapping, ref.value);
    if (!hit) {
      const what = OBJECT_WORD[ref.tag.toUpperCase()] ?? ref.ref.mapping;
      const elsewhere = this.o.state.otherScopes(this.o.scope, ref.ref.mapping);
      const where = elsewhere.length > 0 ? ` into tenant ${this.o.scope.tenant} at ${this.o.scope.endpoint} (the state file has ids of "${ref.ref.mapping}" for ${elsewhere.map((s) => `tenant ${s.tenant} at ${s.endpoint}`).join(', ')} only)` : '';
      throw new Invalid('reference', 'REFERENCE_MISSING', `${what} legacy id ${ref.value} was not imported${where} (no id for it from mapping "${ref.ref.mapping}" in the state file)`);
    }
    return { tag: ref.tag, value: hit.id, from: `${ref.ref.mapping} ${ref.value}` };
  }

  private async byLookup(ref: { tag: string; ref: Extract<RefSpec, { kind: 'lookup' }>; value: string }): Promise<SourceField | undefined> {
    const { object, by } = ref.ref;
    const word = object.toLowerCase();
    let found;
    try {
      found = await this.o.finder.lookup(object, by, ref.value);
    } catch (error) {
      if (error instanceof ApiRejection && error.code !== 'WAPI_AUTH' && error.code !== 'WAPI_PERMISSION') {
        throw new Invalid('reference', error.code, error.errorStr || error.message);
      }
      // The row cannot be checked: counted with the invalid rows, so the run is not called clean.
      if (error instanceof TransportError) throw new Invalid('reference', error.code, `${describe(error)}: the reference could not be looked up, so the row was not compared`);
      throw error;
    }
    if (found.length === 0) throw new Invalid('reference', 'REFERENCE_MISSING', `no ${word} has ${by}=${JSON.stringify(ref.value)}`);
    if (found.length > 1) throw new Invalid('reference', 'AMBIGUOUS_MATCH', `ambiguous reference: ${found.length} ${word} records have ${by}=${JSON.stringify(ref.value)}`);
    const id = found[0]?.[objectDef(object)?.idTag ?? 'ID'] ?? '';
    return { tag: ref.tag, value: id, from: `${word} ${by} ${ref.value}` };
  }
}
