import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { CsvError, parse, type Options, type Parser } from 'csv-parse';
import { ConfigError } from '../protocol/errors.js';
import type { CsvOptions } from '../mapping/types.js';

const NODE_ENCODING = { 'utf-8': 'utf8', latin1: 'latin1', 'utf-16le': 'utf16le' } as const;

/**
 * csv-parse options for a mapping's dialect. Records come as arrays (the header is record 1),
 * `relax_column_count` lets a ragged row through to become a row error rather than stop the
 * run, and blank lines are not records.
 */
export function parseOptions(csv: CsvOptions): Options {
  return {
    delimiter: csv.delimiter,
    quote: csv.quote,
    encoding: NODE_ENCODING[csv.encoding],
    bom: csv.bom,
    relax_column_count: true,
    skip_empty_lines: true,
  };
}

export function createParser(csv: CsvOptions): Parser {
  return parse(parseOptions(csv));
}

/** A CSV syntax error as the fatal error it is, naming the file and the line. */
export function csvSyntaxError(file: string, error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  return new ConfigError(
    `${file}${line ? `, line ${line}` : ''}: CSV syntax error: ${error.message}`,
    'fix the quoting at that line (a field holding the delimiter, a quote or a line break must be quoted, and its quotes doubled), or check csv: delimiter/encoding in the mapping',
    'CSV_INVALID',
  );
}

/**
 * Read the first `max` records of a file (all with Infinity) and check their syntax: the
 * header, and before a real import the whole file, so a quoting error at row 900,000 stops the
 * run before row 1 is sent rather than half-way. Resolves to the header and the record count.
 */
export async function scanCsv(file: string, csv: CsvOptions, max: number): Promise<{ header: string[] | undefined; rows: number }> {
  const source = createReadStream(file);
  const parser = createParser(csv);
  const opened = new Promise<void>((resolve, reject) => {
    source.once('open', () => resolve());
    source.once('error', reject);
  });
  source.on('error', (error) => parser.destroy(error));
  // The iteration below (or `opened`) reports errors; this keeps a parser destroyed before the
  // iteration began from raising an unhandled 'error' event.
  parser.on('error', () => undefined);
  source.pipe(parser);
  let header: string[] | undefined;
  let rows = 0;
  try {
    await opened;
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) header = record;
      else rows++;
      if (rows >= max) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new ConfigError(`cannot read ${file}: ${code}`, 'give the path of a readable CSV file');
    }
    throw csvSyntaxError(file, error);
  } finally {
    source.destroy();
    parser.destroy();
  }
  return { header, rows };
}

/** Size and a hash of the first MiB: enough to tell that the file a --resume reads has changed. */
export async function fingerprintFile(file: string): Promise<string> {
  const { size } = await stat(file);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, 1024 * 1024));
    await handle.read(buffer, 0, buffer.length, 0);
    return `${size}:${createHash('sha256').update(buffer).digest('hex').slice(0, 32)}`;
  } finally {
    await handle.close();
  }
}
