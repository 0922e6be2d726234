import { isWapiBulkError } from '../protocol/errors.js';

export const EXIT_OK = 0;
/** The run finished but some rows or ranges failed. */
export const EXIT_PARTIAL = 1;
/** The run could not start: bad arguments, mapping, unreachable server, refused login. */
export const EXIT_START = 2;

/**
 * The one place errors become exit codes and a line on stderr. A known error prints its
 * message and hint; an unexpected one says it is a bug. Stack traces only with --debug.
 */
export function reportFatal(error: unknown, debug: boolean, write: (line: string) => void = (l) => process.stderr.write(l)): number {
  if (isWapiBulkError(error)) {
    write(`wapi-bulk: ${error.message}${error.hint ? ` (${error.hint})` : ''}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    write(`wapi-bulk: internal error, please report it as a bug: ${message}${debug ? '' : ' (run with --debug for a stack trace)'}\n`);
  }
  if (debug && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return EXIT_START;
}
