import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { ERROR_COLUMNS, SUCCESS_COLUMNS, reportPrefixLength } from './report-columns.js';
import { csvLine } from './csv-line.js';

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

const NODE_ENCODING = { 'utf-8': 'utf8', latin1: 'latin1', 'utf-16le': 'utf16le' } as const;

/** Text in the report's encoding. Latin-1 cannot carry other characters: they become `?`. */
function encode(text: string, encoding: ReportEncoding): Buffer {
  // eslint-disable-next-line no-control-regex
  const safe = encoding === 'latin1' && /[^\u0000-\u00FF]/u.test(text) ? text.replace(/[^\u0000-\u00FF]/gu, '?') : text;
  return Buffer.from(safe, NODE_ENCODING[encoding]);
}

/** Text gathered before one write to the file: 64 Ki characters. */
const BATCH_CHARS = 64 * 1024;
/** The longest a finished row waits for its batch, when rows come slowly (a networked run). */
const BATCH_DELAY_MS = 200;

/**
 * One report file. Records are turned into text (csvLine, csv-stringify's format) and gathered
 * into batches: one write per batch rather than per record. A batch that fills while the file
 * is behind returns a promise (backpressure), so at most a batch or two wait in memory. The
 * journal, not these files, is what a crash must not lose: --resume writes the reports again
 * from it.
 */
class CsvFile {
  private readonly file: WriteStream;
  private readonly done: Promise<unknown>;
  private text = '';
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    path: string,
    private readonly delimiter: string,
    private readonly encoding: ReportEncoding,
  ) {
    this.file = createWriteStream(path, { highWaterMark: 256 * 1024 });
    const finished = once(this.file, 'finish');
    // 'error' rejects `done` (once() rejects on it); nothing is left unhandled meanwhile.
    finished.catch(() => undefined);
    this.done = finished;
    // A BOM tells readers (and csv-parse's bom option) the byte order of UTF-16.
    if (encoding === 'utf-16le') this.file.write(Buffer.from('\uFEFF', 'utf16le'));
  }

  /** Add one record; resolves at once unless the file is behind (backpressure). */
  write(record: readonly string[]): Promise<void> | undefined {
    this.text += csvLine(record, this.delimiter);
    if (this.text.length >= BATCH_CHARS) return this.flush();
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), BATCH_DELAY_MS);
      this.timer.unref();
    }
    return undefined;
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

  /** Flush and close; safe to call more than once. */
  close(): Promise<void> {
    if (!this.closing) {
      void this.flush();
      this.file.end();
      this.closing = this.done.then(() => undefined);
    }
    return this.closing;
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
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
