/**
 * The header and the first rows of a CSV, for `wapi-bulk init`: the delimiter sniffed from the
 * header line, UTF-8 with or without a BOM. Streamed: only the sample is read, whatever the
 * file's size.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';
import { ConfigError } from '../protocol/errors.js';

export type Delimiter = ',' | ';' | '\t' | '|';

export interface CsvSample {
  readonly file: string;
  readonly delimiter: Delimiter;
  readonly header: readonly string[];
  /** The sample's rows by column (the last of repeated columns wins, as the import reads them). */
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** The sample stopped before the file's end. */
  readonly truncated: boolean;
  /** Bytes that are not UTF-8 were found (U+FFFD after decoding): probably Latin-1 or Windows-1252. */
  readonly notUtf8: boolean;
}

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t', '|'];

/**
 * The delimiter of a header line: the candidate found most often outside quotes. A header with
 * none (one column) is read as comma-separated.
 */
export function sniffDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char as Delimiter)) counts.set(char as Delimiter, (counts.get(char as Delimiter) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const d of CANDIDATES) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** The first line of the file (up to 64 KiB), without a BOM, for sniffing. */
async function firstLine(file: string): Promise<{ line: string; bytes: Buffer }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`, 'give the path of the CSV to start from', 'CSV_INVALID');
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return { line: text.split(/\r?\n|\r/)[0] ?? '', bytes };
  } finally {
    await handle.close();
  }
}

export async function readSample(file: string, maxRows = 500): Promise<CsvSample> {
  const { line, bytes } = await firstLine(file);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError(`${file} is UTF-16: init reads UTF-8 files`, 'save it as UTF-8 (or write the mapping by hand with csv: { encoding: utf-16le })', 'CSV_INVALID');
  }
  if (line.trim() === '') throw new ConfigError(`${file} is empty: it has no header row`, 'give a CSV whose first line names the columns', 'CSV_INVALID');
  const delimiter = sniffDelimiter(line);
  const source = createReadStream(file);
  const parser = source.pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }));
  source.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  const rows: Record<string, string>[] = [];
  let truncated = false;
  let notUtf8 = false;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (record.some((cell) => cell.includes('\uFFFD'))) notUtf8 = true;
      if (!header) {
        header = record;
        continue;
      }
      if (rows.length >= maxRows) {
        truncated = true;
        break;
      }
      const row: Record<string, string> = {};
      header.forEach((name, i) => (row[name] = record[i] ?? ''));
      rows.push(row);
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = (error as CsvError & { lines?: number }).lines;
      throw new ConfigError(`${file}${at ? `, line ${at}` : ''}: CSV syntax error: ${error.message}`, 'fix the quoting at that line, then run init again', 'CSV_INVALID');
    }
    throw error;
  } finally {
    source.destroy();
  }
  if (!header) throw new ConfigError(`${file} is empty: it has no header row`, 'give a CSV whose first line names the columns', 'CSV_INVALID');
  return { file, delimiter, header, rows, truncated, notUtf8 };
}
