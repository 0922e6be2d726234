/**
 * The first stage of every run that reads a CSV through a mapping (import, validate, reconcile):
 * the mapping (with the server's time zone), the file's bytes (encoding, fingerprint) and its
 * header, checked against the mapping. One function, so reconcile reads a file exactly as the
 * import would, and compares the values the import sent.
 */
import { ConfigError } from '../protocol/errors.js';
import { checkHeader, sniffDelimiter } from '../mapping/check-header.js';
import { loadMapping } from '../mapping/load-mapping.js';
import type { Mapping } from '../mapping/types.js';
import { scanCsv } from './csv-input.js';
import { inspectInput, type InputInspection } from './input-file.js';
import { writtenWithEscapedFormulas } from './own-files.js';

export interface SourceFile {
  readonly mapping: Mapping;
  readonly input: InputInspection;
  readonly header: string[];
  /** The file is an export or a report this tool wrote with formula escaping: cells lose the `'`. */
  readonly ownEscaped: boolean;
}

/** The mapping with the server's time zone; a mapping that names another one is refused. */
export function withTimezone(mapping: Mapping, timezone: string | undefined): Mapping {
  if (timezone === undefined || timezone === mapping.timezone) return mapping;
  if (mapping.timezoneFromFile) {
    throw new ConfigError(
      `mapping ${mapping.file} says timezone: ${mapping.timezone}, but the server's time zone is set to ${timezone} (--timezone / WAPI_TIMEZONE)`,
      'the server has one clock: remove timezone: from the mapping, or make the two agree',
    );
  }
  return { ...mapping, timezone };
}

function headerProblems(file: string, mapping: Mapping, header: readonly string[]): void {
  const missing = checkHeader(mapping, header);
  if (missing.length === 0) return;
  const delimiter = sniffDelimiter(mapping, header);
  throw new ConfigError(
    `${file}: the header lacks ${missing.length === 1 ? 'a column' : `${missing.length} columns`} the mapping reads:\n${missing.join('\n')}`,
    delimiter ?? `the header has: ${header.map((h) => h.replace(/^\uFEFF/, '')).join(', ')}`,
    'CSV_INVALID',
  );
}

/**
 * Load the mapping, inspect the file and read its header. Warnings (mapping warnings, how the
 * encoding was chosen, a repeated column name) go to `warn`. Throws a ConfigError or a
 * MappingError (exit 2) before any request.
 */
export async function readSource(
  file: string,
  mapping: string | Mapping,
  options: { readonly timezone?: string | undefined; readonly warn: (message: string) => void },
): Promise<SourceFile> {
  const loaded = withTimezone(typeof mapping === 'string' ? await loadMapping(mapping) : mapping, options.timezone);
  for (const message of loaded.warnings) options.warn(message);
  const input = await inspectInput(file, loaded.csv.encoding);
  if (input.note) options.warn(`${file}: ${input.note}`);
  const ownEscaped = await writtenWithEscapedFormulas(file);
  const { header, repeated } = await scanCsv(file, loaded.csv, input.encoding, 0);
  if (!header) throw new ConfigError(`${file} is empty: it has no header row`, 'give a CSV whose first line names the columns', 'CSV_INVALID');
  headerProblems(file, loaded, header);
  if (repeated.length > 0) options.warn(`${file}: the header names ${repeated.join(', ')} more than once; the last one wins`);
  return { mapping: loaded, input, header, ownEscaped };
}
