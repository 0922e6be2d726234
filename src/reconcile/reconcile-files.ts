/**
 * The CSV files of a reconcile, in the source's dialect (delimiter, quote, encoding), like the
 * import's reports, so that missing.csv and repair.csv import as they are with the same mapping;
 * formula-like cells escaped as in every file the tool writes (src/report/formulas.ts).
 *
 * - missing.csv: source rows with no CRM record, in the source's columns;
 * - different.csv: `key,id,field,source,crm`, one line per differing field;
 * - extra.csv: `id`, the match field, then the CRM values of the fields the mapping writes;
 * - repair.csv: the rows of missing.csv and those behind different.csv, in the source's columns;
 * - invalid.csv: `row,key,stage,code,error` and the source's columns: rows the import would refuse.
 */
import { join } from 'node:path';
import { ERROR_COLUMNS } from '../report/report-columns.js';
import { CsvFile } from '../report/report-writer.js';

export const DIFFERENT_COLUMNS = ['key', 'id', 'field', 'source', 'crm'] as const;

export interface Dialect {
  readonly delimiter: string;
  readonly quote: string;
  /** An iconv-lite name, as the source was read. */
  readonly encoding: string;
  readonly escapeFormulas: boolean;
}

/** A reconcile file, written as the import's reports are (batched, private, UTF-16 with its BOM). */
function csvFile(path: string, dialect: Dialect): CsvFile {
  return new CsvFile(path, dialect.delimiter, dialect.encoding, { quote: dialect.quote, escapeFormulas: dialect.escapeFormulas });
}

export interface ReconcileFilePaths {
  readonly missing: string;
  readonly different: string;
  readonly extra: string;
  readonly repair: string;
  readonly invalid: string;
}

export class ReconcileFiles {
  readonly paths: ReconcileFilePaths;
  private readonly missing: CsvFile;
  private readonly different: CsvFile;
  private readonly extra: CsvFile;
  private readonly repair: CsvFile;
  private readonly invalid: CsvFile;
  private readonly all: CsvFile[];
  /** The header lines, written first. */
  private readonly headers: Promise<void>;

  constructor(
    dir: string,
    /** The source's columns (report columns of a report fed back in left out). */
    columns: readonly string[],
    /** extra.csv's columns after `id`: CRM tags. */
    extraColumns: readonly string[],
    dialect: Dialect,
  ) {
    this.paths = {
      missing: join(dir, 'missing.csv'),
      different: join(dir, 'different.csv'),
      extra: join(dir, 'extra.csv'),
      repair: join(dir, 'repair.csv'),
      invalid: join(dir, 'invalid.csv'),
    };
    this.missing = csvFile(this.paths.missing, dialect);
    this.different = csvFile(this.paths.different, dialect);
    this.extra = csvFile(this.paths.extra, dialect);
    this.repair = csvFile(this.paths.repair, dialect);
    this.invalid = csvFile(this.paths.invalid, dialect);
    this.all = [this.missing, this.different, this.extra, this.repair, this.invalid];
    this.headers = Promise.all([
      this.missing.write(columns),
      this.different.write(DIFFERENT_COLUMNS),
      this.extra.write(['id', ...extraColumns]),
      this.repair.write(columns),
      this.invalid.write([...ERROR_COLUMNS, ...columns]),
    ]).then(() => undefined);
  }

  async writeMissing(original: readonly string[]): Promise<void> {
    await this.headers;
    await this.missing.write(original);
    await this.repair.write(original);
  }

  /** The lines of one differing row, and the row itself in repair.csv. */
  async writeDifferent(lines: ReadonlyArray<readonly [key: string, id: string, field: string, source: string, crm: string]>, original: readonly string[]): Promise<void> {
    await this.headers;
    for (const line of lines) await this.different.write(line);
    await this.repair.write(original);
  }

  async writeExtra(record: readonly string[]): Promise<void> {
    await this.headers;
    await this.extra.write(record);
  }

  async writeInvalid(row: number, key: string, stage: string, code: string, error: string, original: readonly string[]): Promise<void> {
    await this.headers;
    await this.invalid.write([String(row), key, stage, code, error, ...original]);
  }

  async close(): Promise<void> {
    await this.headers.catch(() => undefined);
    const results = await Promise.allSettled(this.all.map((f) => f.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  destroy(): void {
    for (const f of this.all) f.destroy();
  }
}
