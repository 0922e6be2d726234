import { stringify } from 'csv-stringify/sync';

/**
 * One CSV record as text, byte for byte what csv-stringify writes with its defaults (a test
 * holds the two together): a field is quoted when it holds the delimiter, a double quote, CR
 * or LF, and its quotes are doubled; records end with LF. Written out because csv-stringify
 * spent more time per record than csv-parse does reading one, which alone put `validate` over
 * its budget of 3x bare parsing. A multi-character delimiter goes to csv-stringify itself.
 */
export function csvLine(fields: readonly string[], delimiter: string): string {
  if (delimiter.length !== 1) return stringify([fields as string[]], { delimiter });
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (i > 0) out += delimiter;
    if (field.includes(delimiter) || field.includes('"') || field.includes('\n') || field.includes('\r')) {
      out += `"${field.replaceAll('"', '""')}"`;
    } else {
      out += field;
    }
  }
  return `${out}\n`;
}
