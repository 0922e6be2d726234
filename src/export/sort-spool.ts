import Database from 'better-sqlite3';
import type { Item } from './plan-types.js';

export interface SpooledRow {
  readonly item: Item;
  readonly counted: boolean;
}

/**
 * A disk-backed sort buffer keyed by record id, for plans whose replies do not come in id order
 * (day windows, the case-number trie, FAQ categories). It is a private temporary SQLite
 * database (better-sqlite3 with an empty file name: deleted when closed), so memory stays at
 * SQLite's page cache whatever the export's size, and the id is the table's INTEGER PRIMARY
 * KEY, so reading back in id order is a plain scan and a record seen twice (a window and its
 * split, overlapping scans) is kept once.
 */
export class SortSpool {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, number, string]>;
  private readonly addMany: (rows: readonly Item[], counted: boolean) => number;
  /** Every tag seen in any record, in first-seen order: the header's custom fields. */
  readonly keys = new Set<string>();
  duplicates = 0;
  /** Records whose id tag is missing or not a number: they cannot be placed, so they are counted. */
  withoutId = 0;

  constructor(private readonly keyOf: (item: Item) => number) {
    this.db = new Database('');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE spool (id INTEGER PRIMARY KEY, counted INTEGER NOT NULL, item TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO spool (id, counted, item) VALUES (?, ?, ?)');
    this.addMany = this.db.transaction((rows: readonly Item[], counted: boolean) => {
      let added = 0;
      for (const row of rows) {
        const id = this.keyOf(row);
        if (!Number.isSafeInteger(id)) {
          this.withoutId++;
          continue;
        }
        added += this.insert.run(id, counted ? 1 : 0, JSON.stringify(row)).changes;
      }
      return added;
    });
  }

  add(rows: readonly Item[], counted: boolean): void {
    for (const row of rows) for (const key of Object.keys(row)) this.keys.add(key);
    const before = this.withoutId;
    const added = this.addMany(rows, counted);
    this.duplicates += rows.length - added - (this.withoutId - before);
  }

  /** The rows in ascending id order. */
  *drain(): Generator<SpooledRow> {
    for (const row of this.db.prepare('SELECT counted, item FROM spool ORDER BY id').iterate() as Iterable<{ counted: number; item: string }>) {
      yield { item: JSON.parse(row.item) as Item, counted: row.counted === 1 };
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
