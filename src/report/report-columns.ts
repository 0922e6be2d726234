/** The columns success.csv puts before the row's original columns. */
export const SUCCESS_COLUMNS = ['row', 'key', 'action', 'id', 'note'] as const;
/** The columns errors.csv puts before the row's original columns. */
export const ERROR_COLUMNS = ['row', 'key', 'stage', 'code', 'error'] as const;
/** success.csv before it had a note column. */
const OLD_SUCCESS_COLUMNS = ['row', 'key', 'action', 'id'] as const;

function startsWith(header: readonly string[], prefix: readonly string[]): boolean {
  return header.length >= prefix.length && prefix.every((name, i) => header[i] === name);
}

/**
 * How many leading columns of an input header are our own report columns: 5 when the input is
 * an errors.csv or a success.csv fed back in (4 for a success.csv of an older version), else 0.
 * Those are not echoed again, so a report of a report has one set of report columns, not two.
 */
export function reportPrefixLength(header: readonly string[]): number {
  if (startsWith(header, ERROR_COLUMNS)) return ERROR_COLUMNS.length;
  if (startsWith(header, SUCCESS_COLUMNS)) return SUCCESS_COLUMNS.length;
  if (startsWith(header, OLD_SUCCESS_COLUMNS)) return OLD_SUCCESS_COLUMNS.length;
  return 0;
}
