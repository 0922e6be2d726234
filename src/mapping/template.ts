/**
 * Templates of mapping files: `"{first} {last}"`, braces naming CSV columns, `{{` and `}}` for
 * literal braces.
 */

export type TemplatePart = { readonly text: string } | { readonly column: string };

/** Split a template into text and column parts, or return why it is not one. */
export function parseTemplate(source: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    const next = source[i + 1];
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      text += char;
      i += 2;
      continue;
    }
    if (char === '}') return `a "}" at position ${i + 1} closes nothing (write "}}" for a literal brace)`;
    if (char !== '{') {
      text += char;
      i += 1;
      continue;
    }
    const end = source.indexOf('}', i + 1);
    if (end === -1) return `the "{" at position ${i + 1} is never closed`;
    const column = source.slice(i + 1, end);
    if (column === '' || column.includes('{')) return `"${source.slice(i, end + 1)}" does not name a column`;
    if (text) parts.push({ text });
    text = '';
    parts.push({ column });
    i = end + 1;
  }
  if (text) parts.push({ text });
  return parts;
}

/** The columns a template names, in order, without repeats. */
export function templateColumns(parts: readonly TemplatePart[]): string[] {
  const columns: string[] = [];
  for (const p of parts) if ('column' in p && !columns.includes(p.column)) columns.push(p.column);
  return columns;
}

/**
 * Fill a template from a row. When every column it names is empty the result is empty, so that
 * `"{first} {last}"` on a row with neither gives no value rather than a lone space.
 */
export function fillTemplate(parts: readonly TemplatePart[], row: Readonly<Record<string, string>>): string {
  let out = '';
  let any = false;
  for (const p of parts) {
    if ('text' in p) {
      out += p.text;
    } else {
      const v = row[p.column] ?? '';
      if (v.trim() !== '') any = true;
      out += v;
    }
  }
  return any ? out : '';
}
