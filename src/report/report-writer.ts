import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import { ERROR_COLUMNS, SUCCESS_COLUMNS, reportPrefixLength } from './report-columns.js';

export type ReportEncoding = 'utf-8' | 'latin1' | 'utf-16le';

export interface ReportWriterOptions {
  readonly dir: string;
  /** The input's header: the original columns echoed after the report columns. */
  readonly header: readonly string[];
  /**
   * The input's delimiter and encoding: the reports are written in the same dialect so that
   * errors.csv can be fed back in with the same mapping.
   */
  readonly delimiter?: string;
  readonly encoding?: ReportEncoding;
}

export interface SuccessLine {
  readonly row: number;
  readonly key: string;
  readonly action: string;
  readonly id: string;
}

export interface ErrorLine {
  readonly row: number;
  readonly key: string;
  readonly stage: string;
  readonly code: string;
  readonly error: string;
}

/** csv-stringify emits UTF-8; re-encode each record (always whole characters) for other encodings. */
function encoder(encoding: ReportEncoding): Transform | undefined {
  if (encoding === 'utf-8') return undefined;
  const target = encoding === 'latin1' ? 'latin1' : 'utf16le';
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      let text = chunk.toString('utf8');
      // Latin-1 cannot carry other characters; Buffer would silently keep the low byte.
      if (target === 'latin1') text = text.replace(/[^\u0000-\u00FF]/gu, '?');
      // A BOM tells readers (and csv-parse's bom option) the byte order of UTF-16.
      if (first && target === 'utf16le') text = `\uFEFF${text}`;
      first = false;
      callback(null, Buffer.from(text, target));
    },
  });
}

class CsvFile {
  readonly stringifier: Stringifier;
  private readonly file: WriteStream;
  private readonly done: Promise<unknown>;

  constructor(path: string, delimiter: string, encoding: ReportEncoding) {
    // Records in, text out in large chunks: fewer, bigger writes (the file stream coalesces
    // what is queued with writev), and backpressure still bounds what waits in memory.
    this.stringifier = stringify({ delimiter, writableHighWaterMark: 64, readableHighWaterMark: 256 * 1024 } as Parameters<typeof stringify>[0]);
    this.file = createWriteStream(path, { highWaterMark: 256 * 1024 });
    const enc = encoder(encoding);
    // Errors on either side reject `done`; the pipe itself never swallows them.
    const failed = new Promise((_, reject) => {
      this.stringifier.once('error', reject);
      this.file.once('error', reject);
      enc?.once('error', reject);
    });
    failed.catch(() => undefined);
    if (enc) this.stringifier.pipe(enc).pipe(this.file);
    else this.stringifier.pipe(this.file);
    this.done = Promise.race([once(this.file, 'finish'), failed]);
  }

  /** Write one record; resolves at once unless the file is behind (backpressure). */
  write(record: readonly string[]): Promise<void> | undefined {
    if (this.stringifier.write(record)) return undefined;
    return once(this.stringifier, 'drain').then(() => undefined);
  }

  private closing: Promise<void> | undefined;

  /** Flush and close; safe to call more than once. */
  close(): Promise<void> {
    if (!this.closing) {
      this.stringifier.end();
      this.closing = this.done.then(() => undefined);
    }
    return this.closing;
  }

  destroy(): void {
    this.stringifier.destroy();
    this.file.destroy();
  }
}

/**
 * success.csv and errors.csv, written as streams: `row,key,action,id` or
 * `row,key,stage,code,error`, then the row's original fields in input order.
 */
export class ReportWriter {
  readonly successFile: string;
  readonly errorsFile: string;
  private readonly success: CsvFile;
  private readonly errors: CsvFile;
  private readonly skip: number;

  constructor(options: ReportWriterOptions) {
    mkdirSync(options.dir, { recursive: true });
    const delimiter = options.delimiter ?? ',';
    const encoding = options.encoding ?? 'utf-8';
    this.skip = reportPrefixLength(options.header);
    this.successFile = join(options.dir, 'success.csv');
    this.errorsFile = join(options.dir, 'errors.csv');
    this.success = new CsvFile(this.successFile, delimiter, encoding);
    this.errors = new CsvFile(this.errorsFile, delimiter, encoding);
    const original = options.header.slice(this.skip);
    this.success.write([...SUCCESS_COLUMNS, ...original]);
    this.errors.write([...ERROR_COLUMNS, ...original]);
  }

  private original(fields: readonly string[]): readonly string[] {
    return this.skip === 0 ? fields : fields.slice(this.skip);
  }

  writeSuccess(line: SuccessLine, fields: readonly string[]): Promise<void> | undefined {
    return this.success.write([String(line.row), line.key, line.action, line.id, ...this.original(fields)]);
  }

  writeError(line: ErrorLine, fields: readonly string[]): Promise<void> | undefined {
    return this.errors.write([String(line.row), line.key, line.stage, line.code, line.error, ...this.original(fields)]);
  }

  /** Flush both files; safe to call more than once. */
  async close(): Promise<void> {
    await Promise.all([this.success.close(), this.errors.close()]);
  }

  destroy(): void {
    this.success.destroy();
    this.errors.destroy();
  }
}
