import { CsvError, parse, type Options, type Parser } from 'csv-parse';
import { ConfigError } from '../protocol/errors.js';
import type { CsvOptions } from '../mapping/types.js';
import { decodedStream } from './input-file.js';

/**
 * The longest record csv-parse holds, in characters: above the largest record the API takes (a
 * 2 MB DESCRIPTION and the rest) with room to spare. Found in review: one 200 MB field was an
 * "internal error: Invalid array length" at 2.9 GB of memory; now it is a CSV error on its line.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
/** The most columns a header may have: far above any CRM export, far below what hangs a run. */
export const MAX_COLUMNS = 10_000;

/**
 * csv-parse options for a mapping's dialect, reading text already decoded (input-file.ts).
 * Records come as arrays (the header is record 1), `relax_column_count` lets a ragged row through
 * to become a row error rather than stop the run, and blank lines are not records.
 */
export function parseOptions(csv: CsvOptions): Options {
  return {
    delimiter: csv.delimiter,
    quote: csv.quote,
    // A quote inside a quoted field is written doubled, whatever the quote character (csv-parse's
    // escape would stay `"` otherwise, and a file written with quote: "'" would not read back).
    escape: csv.quote,
    relax_column_count: true,
    relax_quotes: csv.relaxQuotes,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  };
}

export function createParser(csv: CsvOptions): Parser {
  return parse(parseOptions(csv));
}

/**
 * A CSV syntax error as the fatal error it is, naming the file and the line. `recordStart` is
 * the line the failing record began on, where csv-parse knows only where it gave up: an unclosed
 * quote is reported at the end of the file, but a person needs the line where it opens.
 */
export function csvSyntaxError(file: string, error: unknown, recordStart?: number): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const at = recordStart ?? line;
    return new ConfigError(
      `${file}${at ? `, line ${at}` : ''}: CSV syntax error: a quoted field opens on this line and is never closed (the file ends inside it)`,
      'close the quote, or double a quote that is part of the text ("")',
      'CSV_INVALID',
    );
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new ConfigError(
      `${file}${recordStart ? `, line ${recordStart}` : ''}: a record longer than ${MAX_RECORD_CHARS} characters`,
      'a quote that is never closed makes the rest of the file one field; check the quoting from that line on',
      'CSV_INVALID',
    );
  }
  const relax = error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE';
  return new ConfigError(
    `${file}${line ? `, line ${line}` : ''}: CSV syntax error: ${error.message}`,
    relax
      ? 'a quote inside an unquoted field: quote the field and double its quotes, or add csv: { relax_quotes: true } to the mapping to take such quotes as text'
      : 'fix the quoting at that line (a field holding the delimiter, a quote or a line break must be quoted, and its quotes doubled), or check csv: delimiter/encoding in the mapping',
    'CSV_INVALID',
  );
}

/** A header as the run can use it: not too wide, each name once (the last one wins). */
function checkHeaderShape(file: string, header: readonly string[]): string[] {
  if (header.length > MAX_COLUMNS) {
    throw new ConfigError(
      `${file}: the header has ${header.length} columns, more than the ${MAX_COLUMNS} a mapping can use`,
      'check csv: delimiter in the mapping, or that the first line is the header',
      'CSV_INVALID',
    );
  }
  // One Set, not indexOf per column (found in review: a million-column header ran 11 minutes).
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) repeated.add(name);
    else seen.add(name);
  }
  return [...repeated];
}

export interface CsvScan {
  readonly header: string[] | undefined;
  /** Column names the header has more than once (the last one wins). */
  readonly repeated: string[];
  readonly rows: number;
}

/**
 * Read the first `max` records of a file (all with Infinity) and check their syntax: the
 * header, and before a real import the whole file, so a quoting error at row 900,000 stops the
 * run before row 1 is sent rather than half-way. `onRecord` sees each data record (1-based row).
 */
export async function scanCsv(
  file: string,
  csv: CsvOptions,
  encoding: string,
  max: number,
  onRecord?: (row: number, fields: readonly string[]) => void,
): Promise<CsvScan> {
  const source = decodedStream(file, encoding, csv.bom);
  // With `info`, each record comes with the line it ended on: the next one starts after it, and
  // that is the line a syntax error inside the next record is reported at.
  const parser = parse({ ...parseOptions(csv), info: true });
  let lastEnd = 0;
  source.on('error', (error) => parser.destroy(error));
  // The iteration below reports errors; this keeps a parser destroyed before the iteration
  // began from raising an unhandled 'error' event.
  parser.on('error', () => undefined);
  source.pipe(parser);
  let header: string[] | undefined;
  let repeated: string[] = [];
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastEnd = info.lines;
      if (header === undefined) {
        header = record;
        repeated = checkHeaderShape(file, header);
      } else {
        rows++;
        onRecord?.(rows, record);
      }
      if (rows >= max) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new ConfigError(`cannot read ${file}: ${code}`, 'give the path of a readable CSV file');
    }
    throw csvSyntaxError(file, error, lastEnd + 1);
  } finally {
    source.destroy();
    parser.destroy();
  }
  return { header, repeated, rows };
}
