/**
 * The normalised form of a mapping file: what `loadMapping` returns and `applyMapping` reads.
 * The raw file format is the zod schema in schema.ts; this is after defaults and rule checks.
 */
import type { FieldDef, ObjectName } from '../protocol/catalogue.js';
import type { CompiledDateFormat } from './date-format.js';
import type { TemplatePart } from './template.js';

export const MAPPING_OBJECTS = ['customer', 'case', 'task', 'followup'] as const;
export type MappingObject = (typeof MAPPING_OBJECTS)[number];

export const MAPPING_ACTIONS = ['add', 'modify', 'upsert', 'delete'] as const;
export type MappingAction = (typeof MAPPING_ACTIONS)[number];

export const TRANSFORMS = ['trim', 'lower', 'upper', 'collapse-spaces', 'digits-only', 'phone', 'truncate'] as const;
export type Transform = (typeof TRANSFORMS)[number];

/**
 * How `wapi-bulk reconcile` compares a field's source value with the CRM's: `exact` (line ends
 * aside), `case-insensitive`, `trimmed` (whitespace at the ends aside), `date` (a sent MMDDYYYY
 * against a reply's `MMDDYYYY HH:MM:SS`), or `ignore` (not compared).
 */
export const COMPARE_MODES = ['exact', 'case-insensitive', 'trimmed', 'date', 'ignore'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

/**
 * Where a reference field gets its id: the id map of a previous import of another mapping
 * (`ref: customers`), or a GET on another object by one of its fields, cached
 * (`ref: { object: customer, by: EMAIL }`).
 */
export type RefSpec =
  | { readonly kind: 'mapping'; readonly mapping: string }
  | { readonly kind: 'lookup'; readonly object: ObjectName; readonly by: string };

/** What a date conversion produces: MMDDYYYY, MMDDYYYYHH24MI, or the latter only when a time was given. */
export type DateTarget = 'date' | 'datetime' | 'date-or-datetime';

export interface FieldMapping {
  /** The CRM tag, canonical spelling for standard fields (MEDIATYPE -> MEDIA_TYPE on tasks). */
  readonly tag: string;
  /** `fields.<tag as written>`: the prefix of every message about this field. */
  readonly path: string;
  readonly column?: string;
  readonly value?: string;
  readonly template?: readonly TemplatePart[];
  readonly default?: string;
  readonly map?: Readonly<Record<string, string>>;
  readonly otherwise?: string;
  readonly trim: boolean;
  /** In file order, except `truncate`, which is kept apart in `truncate` and always applies last. */
  readonly transform: readonly Exclude<Transform, 'truncate'>[];
  /** The catalogue's maximum length when the mapping asked for `truncate`. */
  readonly truncate?: number;
  readonly date?: CompiledDateFormat;
  /** Set with `date`: the format the CRM wants for this field. */
  readonly dateTarget?: DateTarget;
  readonly ref?: RefSpec;
  /** reconcile: how this field is compared, when the mapping says (else by the field's kind). */
  readonly compare?: CompareMode;
  /** Not in the catalogue: assumed to be a custom field of the tenant. */
  readonly custom: boolean;
  /** The catalogue entry, for standard fields. */
  readonly def?: FieldDef;
  /** Whether the field is sent with ADD and with MODIFY (upsert sends add-only fields only when adding). */
  readonly onAdd: boolean;
  readonly onModify: boolean;
}

export interface CsvOptions {
  readonly delimiter: string;
  /** `auto` or an encoding name (canonical spelling: utf-8, utf-16le, windows-1252...). */
  readonly encoding: string;
  /** Skip a byte-order mark at the start of the file, if there is one. */
  readonly bom: boolean;
  readonly quote: string;
  /** Accept a quote inside an unquoted field (`37.8"N`) as a character rather than an error. */
  readonly relaxQuotes: boolean;
}

export interface Mapping {
  /** The file it was read from, as given. */
  readonly file: string;
  /** `name:` or the file name without extension: what `ref:` in other mappings names. */
  readonly name: string;
  readonly object: MappingObject;
  /** The catalogue's name of the object: CUSTOMER, CASE, TASK, FOLLOWUP. */
  readonly objectName: ObjectName;
  readonly action: MappingAction;
  /** The CSV column naming a row (reports, id map, resume). */
  readonly key: string;
  /** modify/upsert: the CRM tag whose mapped value finds the existing record by GET. */
  readonly match?: string;
  /** modify, delete: the CSV column holding the CRM id (ACCOUNTNUM, CASENUM, TASKNUM). */
  readonly id?: string;
  /** delete: also delete a customer that still has cases or tasks (the API removes them with it). */
  readonly cascade: boolean;
  readonly csv: CsvOptions;
  /** IANA time zone of the server's clock: ISO timestamps with an offset are converted to it. */
  readonly timezone: string;
  /** Whether the file said `timezone:` (a --timezone that disagrees is then an error). */
  readonly timezoneFromFile: boolean;
  readonly fields: readonly FieldMapping[];
  /** Tags not in the catalogue, assumed to be the tenant's custom fields. */
  readonly customFields: readonly string[];
  readonly warnings: readonly string[];
}

/** One row after mapping, before validation and reference resolution. */
export interface MappedRow {
  /** Tags and values to send, in mapping order; empty values left out. */
  fields: Array<[tag: string, value: string]>;
  /** Reference fields still to resolve: `value` is the legacy key or the look-up value. */
  refs: Array<{ tag: string; ref: RefSpec; value: string }>;
  /** modify with `id:`: the CRM id from the row. */
  id?: string;
  warnings: string[];
}
