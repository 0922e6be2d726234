/**
 * Escaping of values for WAPI requests. The guide asks that an apostrophe be sent as
 * `&rsquot;` (README "Protocol notes", "Transport and text"); `&`, `<` and `>` get the standard
 * XML escapes, so no value can change the structure of the request: `</FIRSTNAME><ACCOUNTNUM>1`
 * stays data.
 */

/** Line ends to LF: the server stores LF anyway (README "Protocol notes", "Transport and text"). */
export function normaliseLineEnds(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&rsquot;' };

export function escapeValue(value: string): string {
  return value.replace(/[&<>']/g, (c) => ESCAPES[c] as string);
}

const TAG_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Whether a tag name is safe to write as an element name. */
export function isValidTagName(name: string): boolean {
  return TAG_NAME.test(name);
}
