/**
 * CSV formula injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or
 * a CR is run as a formula by spreadsheets. Files the tool writes carry customer data and the
 * user's own columns, so such cells get a leading `'` by default (`--no-escape-formulas` for
 * machine consumers), and the tool takes the prefix off again when it reads a file it wrote
 * (a round trip must not gain quotes).
 *
 * To make that exact, a cell that already starts with `'` before such a character gets one more:
 * escaping is then a bijection, and unescaping never eats a quote the data had.
 */
const NEEDS_ESCAPE = /^'*[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `'${value}` : value;
}

export function unescapeFormula(value: string): string {
  return value.charCodeAt(0) === 0x27 && NEEDS_ESCAPE.test(value.slice(1)) ? value.slice(1) : value;
}
