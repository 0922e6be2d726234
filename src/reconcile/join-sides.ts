/**
 * The join of a reconcile, row by row in source order: each valid source row with its CRM
 * record (by id first, then by match value), its fields compared, and the outcome written to
 * the CSV files; then the CRM records no source row names (extra.csv).
 */
import type { ObjectDef } from '../protocol/catalogue.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import type { CompareMode, Mapping } from '../mapping/types.js';
import { validateRecord } from '../mapping/validate-record.js';
import { ErrorGrouper } from '../report/run-report/index.js';
import { HIDDEN, isSecretName } from '../report/run-report/secret-names.js';
import { agrees, compareModeOf, crmText } from './compare-rules.js';
import type { CrmRecord, JoinSpool, SpooledSource } from './join-spool.js';
import type { ReconcileFiles } from './reconcile-files.js';

/** A field as compared: its tag, its mode, and where its CRM value is in a spooled record. */
export interface ComparedField {
  readonly tag: string;
  readonly mode: CompareMode;
  readonly index: number;
  readonly secret: boolean;
}

/**
 * The fields a reconcile compares (every mapped field but those compared as `ignore`), and the
 * CRM tags the spool keeps for them: the match field first.
 */
export function comparedFields(mapping: Mapping, object: ObjectDef, lists: TenantLists | undefined): { fields: ComparedField[]; tags: string[] } {
  const tags: string[] = [];
  const indexOf = (tag: string): number => {
    const upper = tag.toUpperCase();
    const at = tags.indexOf(upper);
    if (at >= 0) return at;
    tags.push(upper);
    return tags.length - 1;
  };
  if (mapping.match !== undefined) indexOf(mapping.match);
  const fields: ComparedField[] = [];
  for (const field of mapping.fields) {
    const mode = compareModeOf(field, object.name, lists);
    if (mode === 'ignore' || fields.some((c) => c.tag === field.tag)) continue;
    fields.push({ tag: field.tag, mode, index: indexOf(field.tag), secret: isSecretName(field.tag) });
  }
  return { fields, tags };
}

export interface JoinCounts {
  same: number;
  missing: number;
  different: number;
  differentFields: number;
  invalid: number;
  /** Source rows gone through so far. */
  joined: number;
}

type Valid = Extract<SpooledSource, { kind: 'valid' }>;

export class SideJoiner {
  readonly counts: JoinCounts = { same: 0, missing: 0, different: 0, differentFields: 0, invalid: 0, joined: 0 };
  /** Per field, the rows that differ in it. */
  readonly differing = new Map<string, number>();
  readonly grouper = new ErrorGrouper();

  constructor(
    private readonly o: {
      readonly mapping: Mapping;
      readonly object: ObjectDef;
      readonly lists: TenantLists | undefined;
      readonly spool: JoinSpool;
      readonly files: ReconcileFiles;
      readonly compared: readonly ComparedField[];
      /** The source's columns, for the examples of report.html. */
      readonly columns: readonly string[];
    },
  ) {}

  /** Every source row, in row order. */
  async joinAll(): Promise<void> {
    for (const row of this.o.spool.sources()) {
      this.counts.joined++;
      if (row.kind === 'invalid') await this.invalid(row.row, row.key, row.stage, row.code, row.message, row.original);
      else await this.join(row);
    }
  }

  private async invalid(row: number, key: string, stage: string, code: string, message: string, original: readonly string[]): Promise<void> {
    this.counts.invalid++;
    this.grouper.add({ row, key, code, stage, message, values: Object.fromEntries(this.o.columns.map((c, i) => [c, original[i] ?? ''])) });
    await this.o.files.writeInvalid(row, key, stage, code, message, original);
  }

  private async join(row: Valid): Promise<void> {
    const { spool, mapping, files } = this.o;
    let record: CrmRecord | undefined = row.ident !== undefined ? spool.byIdent(row.ident) : undefined;
    let candidates: CrmRecord[] = [];
    if (!record && row.match !== undefined) {
      candidates = spool.byMatch(row.match, 11);
      if (candidates.length === 1) record = candidates[0];
    }
    if (!record && candidates.length > 1) {
      // The import would refuse the row as an ambiguous match: it differs, in its match field.
      const ids = candidates.slice(0, 10).map((c) => c.ident).join(', ');
      const crm = `${candidates.length > 10 ? 'more than 10' : candidates.length} records: ${ids}`;
      this.counts.different++;
      this.counts.differentFields++;
      this.count(mapping.match as string);
      await files.writeDifferent([[row.key, '', mapping.match as string, row.match as string, crm]], row.original);
      return;
    }
    if (!record) {
      // An upsert adds what it does not find, checked as the import checks it before the ADD: a
      // row Add would refuse is the import's error, not a missing record.
      const problems = mapping.action === 'upsert' ? validateRecord(this.o.object.name, 'ADD', row.fields.map((f) => [f.tag, f.value]), this.o.lists) : [];
      if (problems.length > 0) {
        const message = `no record has this row's ${mapping.match ?? 'id'}, and the import could not add it: ${problems.map((p) => p.message).join('; ')}`;
        await this.invalid(row.row, row.key, 'validate', 'ROW_INVALID', message, row.original);
        return;
      }
      this.counts.missing++;
      await files.writeMissing(row.original);
      return;
    }
    const lines: Array<[string, string, string, string, string]> = [];
    for (const c of this.o.compared) {
      const field = row.fields.find((f) => f.tag === c.tag);
      // A field the row leaves empty is not sent: the import cannot have set it (nor clear it).
      if (field === undefined) continue;
      const crm = crmText(record.values[c.index]);
      if (agrees(c.mode, field.value, crm)) continue;
      const shown = c.secret ? HIDDEN : field.from !== undefined ? `${field.value} (${field.from})` : field.value;
      lines.push([row.key, record.ident, c.tag, shown, c.secret ? HIDDEN : crm]);
      this.count(c.tag);
    }
    if (lines.length === 0) {
      this.counts.same++;
      return;
    }
    this.counts.different++;
    this.counts.differentFields += lines.length;
    await files.writeDifferent(lines, row.original);
  }

  private count(tag: string): void {
    this.differing.set(tag, (this.differing.get(tag) ?? 0) + 1);
  }

  /** CRM records whose match value no source row has, into extra.csv; how many. */
  async writeExtras(): Promise<number> {
    const { spool, files } = this.o;
    const secret = spool.tags.map((t) => isSecretName(t));
    let extra = 0;
    for (const record of spool.extras()) {
      extra++;
      await files.writeExtra([record.ident, ...record.values.map((v, i) => (secret[i] ? HIDDEN : crmText(v)))]);
    }
    return extra;
  }
}
