import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { ERROR_COLUMNS, SUCCESS_COLUMNS, reportPrefixLength } from './report-columns.js';
import { csvLine, type CsvLineOptions } from './csv-line.js';

export interface ReportWriterOptions {
  readonly dir: string;
  /** The input's header: the original columns echoed after the report columns. */
  readonly header: readonly string[];
  /**
   * The input's dialect (delimiter, quote, encoding as read): the reports are written in it so
   * that errors.csv can be fed back in with the same mapping.
   */
  readonly delimiter?: string;
  readonly quote?: string;
  /** An iconv-lite encoding name; default utf-8. UTF-16 files get a byte-order mark. */
  readonly encoding?: string;
  /** Prefix formula-like cells with `'` (default true; formulas.ts). */
  readonly escapeFormulas?: boolean;
}

export interface SuccessLine {
  readonly row: number;
  readonly key: string;
  readonly action: string;
  readonly id: string;
  /** Why a row was skipped, and similar: "already imported as 17 by run 3". */
  readonly note?: string;
}

export interface ErrorLine {
  readonly row: number;
  readonly key: string;
  readonly stage: string;
  readonly code: string;
  readonly error: string;
}

/** Text in the report's encoding. Characters the encoding lacks become `?`. */
function encode(text: string, encoding: string): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  return iconv.encode(text, encoding, { addBOM: false });
}

/** Text gathered before one write to the file: 64 Ki characters. */
const BATCH_CHARS = 64 * 1024;
/** The longest a finished row waits for its batch, when rows come slowly (a networked run). */
const BATCH_DELAY_MS = 200;

/** Files that hold customer data are readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * One report file. Records are turned into text (csvLine, csv-stringify's format) and gathered
 * into batches: one write per batch rather than per record. A batch that fills while the file
 * is behind returns a promise (backpressure), so at most a batch or two wait in memory. The
 * journal, not these files, is what a crash must not lose: --resume writes the reports again
 * from it.
 */
export class CsvFile {
  private readonly file: WriteStream;
  private readonly done: Promise<unknown>;
  private text = '';
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /** A failed write (a full disk): thrown at the next write or at close, never unhandled. */
  private failure: Error | undefined;

  constructor(
    path: string,
    private readonly delimiter: string,
    private readonly encoding: string,
    private readonly line: CsvLineOptions,
  ) {
    this.file = createWriteStream(path, { highWaterMark: 256 * 1024, mode: PRIVATE_FILE_MODE });
    this.file.on('error', (error) => (this.failure ??= error));
    const finished = once(this.file, 'finish');
    finished.catch(() => undefined);
    this.done = finished;
    // A BOM tells readers (and csv-parse's bom option) the byte order of UTF-16.
    if (encoding === 'utf-16le' || encoding === 'utf-16be') this.file.write(iconv.encode('\uFEFF', encoding, { addBOM: false }));
  }

  /** Add one record; resolves at once unless the file is behind (backpressure). */
  write(record: readonly string[]): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    this.text += csvLine(record, this.delimiter, this.line);
    if (this.text.length >= BATCH_CHARS) return this.flush();
    if (!this.timer) {
      // A timer's flush cannot be awaited: its failure is kept and thrown by the next write or close.
      this.timer = setTimeout(() => {
        this.flush()?.catch((error: Error) => (this.failure ??= error));
      }, BATCH_DELAY_MS);
      this.timer.unref();
    }
    return undefined;
  }

  /** Add text already in CSV form; resolves once the file has taken it. */
  async writeRaw(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.text += text;
    await this.flush();
  }

  private flush(): Promise<void> | undefined {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.text === '' || this.file.destroyed || this.file.writableEnded) return undefined;
    const text = this.text;
    this.text = '';
    if (this.file.write(encode(text, this.encoding))) return undefined;
    return once(this.file, 'drain').then(() => undefined);
  }

  /** Flush and close; safe to call more than once. Rejects when a write failed. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        await this.flush();
        this.file.end();
        await this.done.catch((error: Error) => (this.failure ??= error));
        if (this.failure) throw this.failure;
      })();
    }
    return this.closing;
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.file.destroy();
  }
}

/**
 * Rows that failed, kept in a private temporary SQLite file until the run ends, then written to
 * errors.csv in input order (rows finish in any order; a person reads errors top to bottom).
 * Memory stays flat however many rows fail.
 */
class ErrorSpool {
  private readonly db = new Database('');
  private readonly insert: Database.Statement<[number, string]>;
  private pending = 0;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE e (row INTEGER PRIMARY KEY, line TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT OR REPLACE INTO e (row, line) VALUES (?, ?)');
    this.db.exec('BEGIN');
  }

  add(row: number, line: string): void {
    this.insert.run(row, line);
    if (++this.pending >= 5000) {
      this.db.exec('COMMIT; BEGIN');
      this.pending = 0;
    }
  }

  *lines(): Generator<string> {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    yield* this.db.prepare('SELECT line FROM e ORDER BY row').pluck().iterate() as IterableIterator<string>;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * success.csv and errors.csv: `row,key,action,id,note` or `row,key,stage,code,error`, then the
 * row's original fields in input order. success.csv is written as rows finish; errors.csv at the
 * end, in input order.
 */
export class ReportWriter {
  readonly successFile: string;
  readonly errorsFile: string;
  private readonly success: CsvFile;
  private readonly errorHeader: string;
  private readonly spool = new ErrorSpool();
  private readonly skip: number;
  private readonly delimiter: string;
  private readonly encoding: string;
  private readonly line: CsvLineOptions;
  private closing: Promise<void> | undefined;

  constructor(options: ReportWriterOptions) {
    this.delimiter = options.delimiter ?? ',';
    this.encoding = options.encoding ?? 'utf-8';
    this.line = { quote: options.quote ?? '"', escapeFormulas: options.escapeFormulas ?? true };
    mkdirSync(options.dir, { recursive: true });
    this.skip = reportPrefixLength(options.header);
    this.successFile = join(options.dir, 'success.csv');
    this.errorsFile = join(options.dir, 'errors.csv');
    this.success = new CsvFile(this.successFile, this.delimiter, this.encoding, this.line);
    const original = options.header.slice(this.skip);
    // The first record of a new file: never behind, so nothing to wait for.
    void this.success.write([...SUCCESS_COLUMNS, ...original]);
    this.errorHeader = csvLine([...ERROR_COLUMNS, ...original], this.delimiter, this.line);
  }

  private original(fields: readonly string[]): readonly string[] {
    return this.skip === 0 ? fields : fields.slice(this.skip);
  }

  writeSuccess(line: SuccessLine, fields: readonly string[]): Promise<void> | undefined {
    return this.success.write([String(line.row), line.key, line.action, line.id, line.note ?? '', ...this.original(fields)]);
  }

  writeError(line: ErrorLine, fields: readonly string[]): undefined {
    this.spool.add(line.row, csvLine([String(line.row), line.key, line.stage, line.code, line.error, ...this.original(fields)], this.delimiter, this.line));
    return undefined;
  }

  /** Flush success.csv, write errors.csv in row order; safe to call more than once. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        try {
          const errors = new CsvFile(this.errorsFile, this.delimiter, this.encoding, this.line);
          let batch = this.errorHeader;
          for (const text of this.spool.lines()) {
            batch += text;
            if (batch.length >= BATCH_CHARS) {
              await errors.writeRaw(batch);
              batch = '';
            }
          }
          await errors.writeRaw(batch);
          await Promise.all([this.success.close(), errors.close()]);
        } finally {
          this.spool.close();
        }
      })();
    }
    return this.closing;
  }

  destroy(): void {
    this.success.destroy();
    this.spool.close();
  }
}
