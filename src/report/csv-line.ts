import { stringify } from 'csv-stringify/sync';
import { escapeFormula } from './formulas.js';

export interface CsvLineOptions {
  /** The quote character (a mapping's csv.quote), so that the file reads back with the same mapping. */
  readonly quote?: string;
  /** Prefix formula-like cells with `'` (formulas.ts). */
  readonly escapeFormulas?: boolean;
}

/**
 * One CSV record as text, byte for byte what csv-stringify writes with the same delimiter and
 * quote (a test holds the two together): a field is quoted when it holds the delimiter, the
 * quote, CR or LF, and its quotes are doubled; records end with LF. Written out because
 * csv-stringify spent more time per record than csv-parse does reading one, which alone put
 * `validate` over its budget of 3x bare parsing. A multi-character delimiter goes to
 * csv-stringify itself.
 */
export function csvLine(fields: readonly string[], delimiter: string, options: CsvLineOptions = {}): string {
  const quote = options.quote ?? '"';
  const cells = options.escapeFormulas ? fields.map(escapeFormula) : fields;
  if (delimiter.length !== 1) return stringify([cells], { delimiter, quote });
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const field = cells[i] as string;
    if (i > 0) out += delimiter;
    if (field.includes(delimiter) || field.includes(quote) || field.includes('\n') || field.includes('\r')) {
      out += `${quote}${field.replaceAll(quote, quote + quote)}${quote}`;
    } else {
      out += field;
    }
  }
  return `${out}\n`;
}
