/**
 * The header and the first rows of a CSV, for `wapi-bulk init`: the encoding found as the import
 * finds it (a byte-order mark, else UTF-8 when the whole file is, else windows-1252), the
 * delimiter sniffed from the header line. Only the sample is parsed, whatever the file's size.
 */
import { ConfigError } from '../protocol/errors.js';
import { scanCsv } from '../import/csv-input.js';
import { decodedStream, inspectInput } from '../import/input-file.js';

export type Delimiter = ',' | ';' | '\t' | '|';

export interface CsvSample {
  readonly file: string;
  readonly delimiter: Delimiter;
  readonly header: readonly string[];
  /** The sample's rows by column (the last of repeated columns wins, as the import reads them). */
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** The sample stopped before the file's end. */
  readonly truncated: boolean;
  /** The encoding the file is read with (what the mapping's `auto` finds too). */
  readonly encoding: string;
  /** Why, when it is not plain UTF-8 ("read as windows-1252: not valid UTF-8 at line 3"). */
  readonly encodingNote: string | undefined;
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

/** The first line of the decoded file, for sniffing the delimiter. */
async function firstLine(file: string, encoding: string): Promise<string> {
  const source = decodedStream(file, encoding, true);
  let text = '';
  try {
    for await (const chunk of source as AsyncIterable<string>) {
      text += chunk;
      if (/\r|\n/.test(text) || text.length > 64 * 1024) break;
    }
  } finally {
    source.destroy();
  }
  return text.split(/\r?\n|\r/)[0] ?? '';
}

export async function readSample(file: string, maxRows = 500): Promise<CsvSample> {
  const { encoding, note } = await inspectInput(file, 'auto');
  const line = await firstLine(file, encoding);
  if (line.trim() === '') throw new ConfigError(`${file} is empty: it has no header row`, 'give a CSV whose first line names the columns', 'CSV_INVALID');
  const delimiter = sniffDelimiter(line);
  // Read as the import reads it (its record size and column caps, its syntax errors naming the
  // line a broken record starts on), one record past the sample to know whether it is all.
  const records: (readonly string[])[] = [];
  const csv = { delimiter, encoding, bom: true, quote: '"', relaxQuotes: false };
  const scan = await scanCsv(file, csv, encoding, maxRows + 1, (row, fields) => {
    if (row <= maxRows) records.push(fields);
  });
  const header = scan.header;
  if (!header) throw new ConfigError(`${file} is empty: it has no header row`, 'give a CSV whose first line names the columns', 'CSV_INVALID');
  const rows = records.map((record) => {
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = record[i] ?? ''));
    return row;
  });
  const truncated = scan.rows > maxRows;
  return { file, delimiter, header, rows, truncated, encoding, encodingNote: note };
}
