/**
 * Dates. The store keeps ISO text (`YYYY-MM-DD HH:MM:SS`, UTC) so ranges compare as strings;
 * the wire uses MMDDYYYY, MMDDYYYYHH24MI in requests and `MMDDYYYY HH:MM:SS` in replies
 * (DECISIONS.md "Replies").
 */

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `MMDDYYYY` to `YYYY-MM-DD`, or undefined when it is not a real date. */
export function parseWireDate(value: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (!m) return undefined;
  const [, mm, dd, yyyy] = m as unknown as [string, string, string, string];
  return validYmd(+yyyy, +mm, +dd) ? `${yyyy}-${mm}-${dd}` : undefined;
}

/** `MMDDYYYYHH24MI` to `YYYY-MM-DD HH:MM:00`, or undefined. */
export function parseWireDateTime(value: string): string | undefined {
  const m = /^(\d{8})(\d{2})(\d{2})$/.exec(value);
  if (!m) return undefined;
  const day = parseWireDate(m[1] as string);
  const hh = Number(m[2]);
  const mi = Number(m[3]);
  if (day === undefined || hh > 23 || mi > 59) return undefined;
  return `${day} ${m[2]}:${m[3]}:00`;
}

/** A date or a date-time in wire form, as an ISO string (date alone: midnight). */
export function parseWireDateOrDateTime(value: string): string | undefined {
  if (value.length === 8) {
    const day = parseWireDate(value);
    return day === undefined ? undefined : `${day} 00:00:00`;
  }
  return parseWireDateTime(value);
}

/** ISO `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`) to the reply form `MMDDYYYY HH:MM:SS`. */
export function toWireTimestamp(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  return `${m[2]}${m[3]}${m[1]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
}

/** The store's form of a Date. */
export function toIso(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Fixture dates: ISO 8601 with or without time or zone (`2024-03-01`, `2024-03-01T09:30:00Z`).
 * Returns the store's form, or undefined.
 */
export function parseFixtureDate(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} 00:00:00`;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const date = new Date(hasZone ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? undefined : toIso(date);
}
