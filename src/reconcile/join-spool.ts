/**
 * Both sides of a reconcile on disk: the source rows and the CRM records, in one private
 * temporary SQLite database (better-sqlite3 with an empty file name: deleted when closed), so
 * memory stays at SQLite's page cache whatever the sizes, and the join is index look-ups.
 *
 * A CRM record is kept as its walk key (the export's record key: the id, FOLLOWUPID for
 * follow-ups), the id a source row names it by (`ident`: ACCOUNTNUM, CASENUM, TASKNUM, or
 * `CASENUM/FOLLOWUPNUM`), its match value, and only the values of the fields the mapping writes.
 */
import Database from 'better-sqlite3';
import type { InvalidRow, SourceField, ValidRow } from './source-rows.js';

export type Item = Readonly<Record<string, string>>;

export interface CrmRecord {
  readonly key: number;
  readonly ident: string;
  readonly match: string | null;
  /** Values of `tags`, in their order (absent tags as ''). */
  readonly values: readonly string[];
}

/** A source row as spooled, with its original CSV fields. */
export type SpooledSource =
  | (ValidRow & { readonly original: readonly string[] })
  | (InvalidRow & { readonly original: readonly string[] });

interface SrcRow {
  row: number;
  key: string;
  invalid: number;
  ident: string | null;
  match: string | null;
  data: string;
  original: string;
}

/** Rows gathered before one transaction. */
const BATCH = 500;

export class JoinSpool {
  private readonly db: Database.Database;
  private readonly insertSrc: Database.Statement<[number, string, number, string | null, string | null, string, string]>;
  private readonly insertCrm: Database.Statement<[number, string, string | null, string]>;
  private readonly pending: SpooledSource[] = [];
  private readonly flushSrc: (rows: readonly SpooledSource[]) => void;
  private readonly addCrm: (items: readonly Item[]) => { added: number; withoutId: number };
  private indexed = false;
  private byIdentStmt: Database.Statement<[string], { key: number; ident: string; match: string | null; vals: string }> | undefined;
  private byMatchStmt: Database.Statement<[string, number], { key: number; ident: string; match: string | null; vals: string }> | undefined;
  /** CRM records added (each once). */
  records = 0;

  constructor(
    /** The CRM tags kept per record, upper case. */
    readonly tags: readonly string[],
    private readonly keyOf: (item: Item) => number,
    private readonly identOf: (item: Item) => string,
    private readonly matchTag: string | undefined,
  ) {
    this.db = new Database('');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`
      CREATE TABLE src (row INTEGER PRIMARY KEY, key TEXT NOT NULL, invalid INTEGER NOT NULL, ident TEXT, match TEXT, data TEXT NOT NULL, original TEXT NOT NULL);
      CREATE TABLE crm (key INTEGER PRIMARY KEY, ident TEXT NOT NULL, match TEXT, vals TEXT NOT NULL);
    `);
    this.insertSrc = this.db.prepare('INSERT OR REPLACE INTO src (row, key, invalid, ident, match, data, original) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertCrm = this.db.prepare('INSERT OR IGNORE INTO crm (key, ident, match, vals) VALUES (?, ?, ?, ?)');
    this.flushSrc = this.db.transaction((rows: readonly SpooledSource[]) => {
      for (const r of rows) {
        const data = r.kind === 'valid' ? JSON.stringify(r.fields.map((f) => (f.from === undefined ? [f.tag, f.value] : [f.tag, f.value, f.from]))) : JSON.stringify([r.stage, r.code, r.message]);
        const ident = r.kind === 'valid' ? (r.ident ?? null) : null;
        this.insertSrc.run(r.row, r.key, r.kind === 'valid' ? 0 : 1, ident, r.match ?? null, data, JSON.stringify(r.original));
      }
    });
    this.addCrm = this.db.transaction((items: readonly Item[]) => {
      let added = 0;
      let withoutId = 0;
      for (const item of items) {
        const key = this.keyOf(item);
        const ident = this.identOf(item);
        if (!Number.isSafeInteger(key) || ident === '') {
          withoutId++;
          continue;
        }
        const match = this.matchTag === undefined ? null : (item[this.matchTag] ?? '');
        added += this.insertCrm.run(key, ident, match === '' ? null : match, JSON.stringify(this.tags.map((t) => item[t] ?? ''))).changes;
      }
      return { added, withoutId };
    });
  }

  /** A source row; written in batches. */
  addSource(row: SpooledSource): void {
    this.pending.push(row);
    if (this.pending.length >= BATCH) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.flushSrc(this.pending);
    this.pending.length = 0;
  }

  /** CRM records from one reply; a record seen before is kept once. Returns how many were new. */
  addRecords(items: readonly Item[]): { added: number; withoutId: number } {
    const result = this.addCrm(items);
    this.records += result.added;
    return result;
  }

  /** Forget the CRM records read so far (look-ups that could not be sure, before a walk). */
  clearRecords(): void {
    this.db.exec('DELETE FROM crm');
    this.records = 0;
  }

  /** Indexes for the join, built once both sides are in (cheaper than keeping them while loading). */
  private index(): void {
    if (this.indexed) return;
    this.flush();
    this.db.exec(`
      CREATE INDEX crm_ident ON crm (ident);
      CREATE INDEX crm_match ON crm (match) WHERE match IS NOT NULL;
      CREATE INDEX src_match ON src (match) WHERE match IS NOT NULL;
    `);
    this.byIdentStmt = this.db.prepare('SELECT key, ident, match, vals FROM crm WHERE ident = ? LIMIT 1');
    this.byMatchStmt = this.db.prepare('SELECT key, ident, match, vals FROM crm WHERE match = ? ORDER BY key LIMIT ?');
    this.indexed = true;
  }

  /** Source rows in row order, a page at a time (no statement stays open between pages). */
  *sources(pageSize = 1000): Generator<SpooledSource> {
    this.flush();
    const page = this.db.prepare('SELECT row, key, invalid, ident, match, data, original FROM src WHERE row > ? ORDER BY row LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = page.all(after, pageSize) as SrcRow[];
      if (rows.length === 0) return;
      for (const r of rows) yield toSource(r);
      after = (rows.at(-1) as SrcRow).row;
    }
  }

  /** How many source rows are valid (what a look-up per row would cost). */
  get sourceCount(): { valid: number; invalid: number } {
    this.flush();
    const r = this.db.prepare('SELECT sum(invalid = 0) AS valid, sum(invalid = 1) AS invalid FROM src').get() as { valid: number | null; invalid: number | null };
    return { valid: r.valid ?? 0, invalid: r.invalid ?? 0 };
  }

  byIdent(ident: string): CrmRecord | undefined {
    this.index();
    const r = this.byIdentStmt?.get(ident);
    return r ? toRecord(r) : undefined;
  }

  /** Records with this match value, at most `limit`, lowest key first. */
  byMatch(match: string, limit: number): CrmRecord[] {
    this.index();
    return (this.byMatchStmt?.all(match, limit) ?? []).map(toRecord);
  }

  /**
   * CRM records whose match value no source row has (valid or not), by key: records without a
   * match value are not "extra" (they were not made from any such source). Paged like sources().
   */
  *extras(pageSize = 1000): Generator<CrmRecord> {
    this.index();
    const page = this.db.prepare(
      'SELECT key, ident, match, vals FROM crm c WHERE c.key > ? AND c.match IS NOT NULL AND NOT EXISTS (SELECT 1 FROM src s WHERE s.match = c.match) ORDER BY c.key LIMIT ?',
    );
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(after, pageSize) as Array<{ key: number; ident: string; match: string | null; vals: string }>;
      if (rows.length === 0) return;
      for (const r of rows) yield toRecord(r);
      after = (rows.at(-1) as { key: number }).key;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRecord(r: { key: number; ident: string; match: string | null; vals: string }): CrmRecord {
  return { key: r.key, ident: r.ident, match: r.match, values: JSON.parse(r.vals) as string[] };
}

function toSource(r: SrcRow): SpooledSource {
  const original = JSON.parse(r.original) as string[];
  if (r.invalid === 1) {
    const [stage, code, message] = JSON.parse(r.data) as [string, string, string];
    return { kind: 'invalid', row: r.row, key: r.key, stage, code, message, match: r.match ?? undefined, original };
  }
  const fields: SourceField[] = (JSON.parse(r.data) as Array<[string, string, string?]>).map(([tag, value, from]) => (from === undefined ? { tag, value } : { tag, value, from }));
  return { kind: 'valid', row: r.row, key: r.key, ident: r.ident ?? undefined, match: r.match ?? undefined, fields, original };
}
