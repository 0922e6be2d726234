/**
 * Escaping for report.html. Every value on the page comes from somewhere we do not control (a
 * CSV cell, a server message, a file name), so every value goes through one of these.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value, escaped for HTML (and SVG). */
export function esc(value: string | number | boolean | null | undefined): string {
  // Characters XML 1.0 cannot hold would make the SVG invalid; a CSV cell may carry them.
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

/**
 * A link target, or undefined when it is not a plain relative path: the page links only to the
 * files beside it, never to `javascript:` or anything on a network.
 */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//') || trimmed.startsWith('\\\\')) return undefined;
  return trimmed
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}

/** 1234567 -> "1,234,567"; fractions to one decimal place. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(n) ? 0 : 1 });
}

/** 950 -> "950 ms", 4200 -> "4.2 s", 83000 -> "1 min 23 s", 7260000 -> "2 h 1 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${sec} s`;
}
