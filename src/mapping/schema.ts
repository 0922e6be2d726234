/**
 * The format of a mapping file (issue 4 "Mapping files"), as a zod 4 schema. The JSON Schema
 * that editors use (mappings/mapping.schema.json) is generated from it, and a test keeps the
 * two in sync. Rules that need the catalogue (which tags an object takes, mandatory fields...)
 * are in mapping-rules.ts: this file is only the shape.
 */
import { z } from 'zod';
import { COMMON_ENCODINGS, isKnownEncoding } from './encodings.js';
import { COMPARE_MODES, MAPPING_ACTIONS, MAPPING_OBJECTS, TRANSFORMS } from './types.js';

const quoted = (values: readonly string[]): string => values.join(', ');

/** Constants may be written bare in YAML (`value: TRUE`, `default: 0`): they are strings to us. */
const scalar = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v) => String(v));

const transform = z.enum(TRANSFORMS, {
  error: (issue) => `unknown transform ${JSON.stringify(issue.input)} (use one of: ${quoted(TRANSFORMS)})`,
});

export const refLookupSchema = z
  .strictObject({
    object: z.enum(['customer', 'case', 'task'], {
      error: (issue) => `cannot look up ${JSON.stringify(issue.input)} records (use customer, case or task)`,
    }),
    by: z.string().min(1).meta({ description: 'The field of that object to GET by, e.g. EMAIL.' }),
  })
  .meta({ description: 'Look the id up with a GET on another object, by a field (cached).' });

export const fieldObjectSchema = z
  .strictObject({
    column: z.string().min(1).optional().meta({ description: 'The CSV column to read.' }),
    value: scalar.optional().meta({ description: 'A constant, the same for every row.' }),
    template: z.string().min(1).optional().meta({ description: 'Text with {column} placeholders, e.g. "{first} {last}".' }),
    default: scalar.optional().meta({ description: 'Used when the value is empty (after trim, transform and map).' }),
    map: z
      .record(z.string(), scalar)
      .optional()
      .meta({ description: 'Value translations, matched exactly, then ignoring case. Unmatched values pass through unless `otherwise` is given.' }),
    otherwise: scalar.optional().meta({ description: 'The value for non-empty values absent from `map`.' }),
    trim: z.boolean().optional().meta({ description: 'Remove surrounding whitespace (same as transform: [trim]).' }),
    transform: z.array(transform).optional().meta({ description: `Steps applied in order: ${quoted(TRANSFORMS)}. truncate always runs last.` }),
    date: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The format of the values, e.g. YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY HH:mm, or iso. Converted to MMDDYYYY (MMDDYYYYHH24MI for DUEDATE).' }),
    ref: z
      .union([z.string().min(1).meta({ description: 'The name of another mapping: the id its import gave the legacy key in `column`.' }), refLookupSchema])
      .optional(),
    compare: z
      .enum(COMPARE_MODES, {
        error: (issue) => `unknown compare ${JSON.stringify(issue.input)} (use one of: ${quoted(COMPARE_MODES)})`,
      })
      .optional()
      .meta({ description: `How wapi-bulk reconcile compares the field with the CRM's value: ${quoted(COMPARE_MODES)}. Default: by the field's kind (dates as dates, list values ignoring case).` }),
  })
  .meta({ description: 'How to fill one CRM field.' });

export const fieldSpecSchema = z.union([
  z.string().min(1).meta({ description: 'A CSV column, taken as it is.' }),
  fieldObjectSchema,
]);

export const csvSchema = z
  .strictObject({
    delimiter: z.string().min(1).max(4).optional().meta({ description: 'Field delimiter. Default ",".' }),
    encoding: z
      .string()
      .refine(isKnownEncoding, {
        error: (issue) => `unknown encoding ${JSON.stringify(issue.input)} (use one of: ${quoted(COMMON_ENCODINGS)}, or another code page such as windows-1250, iso-8859-15, cp437)`,
      })
      .optional()
      .meta({ description: 'auto (default: a byte-order mark, else UTF-8 when the whole file is valid UTF-8, else windows-1252), utf-8, utf-16le, utf-16be, latin1, windows-1252, or another code page.' }),
    bom: z.boolean().optional().meta({ description: 'Skip a byte-order mark at the start of the file. Default true.' }),
    quote: z.string().length(1).optional().meta({ description: 'Quote character. Default ".' }),
    relax_quotes: z.boolean().optional().meta({ description: 'Take a quote inside an unquoted field (37.8"N) as a character instead of a CSV error. Default false.' }),
  })
  .meta({ description: 'How the CSV is written.' });

export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^(?!\.)[A-Za-z0-9_.-]+$/, 'a name is letters, digits, "_", "-" and "." and does not start with "." (it names a folder of reports)')
      .optional()
      .meta({ description: 'What `ref:` in other mappings calls this one. Default: the file name without extension.' }),
    object: z.enum(MAPPING_OBJECTS, {
      error: (issue) => `${JSON.stringify(issue.input)} is not an object wapi-bulk imports (use one of: ${quoted(MAPPING_OBJECTS)})`,
    }).meta({ description: 'The kind of record each row becomes.' }),
    action: z.enum(MAPPING_ACTIONS, {
      error: (issue) => `${JSON.stringify(issue.input)} is not an action (use one of: ${quoted(MAPPING_ACTIONS)})`,
    }).meta({ description: 'add: always create; modify: change existing records; upsert: modify when `match` finds one, add otherwise; delete: delete the records `match` or `id` finds.' }),
    key: z.string().min(1).meta({ description: 'The CSV column that names a row: reports, id map, resume.' }),
    match: z.string().min(1).optional().meta({ description: 'modify/upsert: the CRM field whose value finds the existing record.' }),
    id: z.string().min(1).optional().meta({ description: 'modify, delete: the CSV column holding the CRM id (ACCOUNTNUM, CASENUM, TASKNUM).' }),
    cascade: z.boolean().optional().meta({ description: 'delete: also delete a customer that still has cases or tasks (the API deletes them with it). Default false: such a customer is refused.' }),
    csv: csvSchema.optional(),
    timezone: z.string().min(1).optional().meta({ description: 'IANA time zone ISO timestamps with an offset are converted to. Default UTC.' }),
    customFields: z
      .array(z.string())
      .optional()
      .meta({ description: "The tenant's custom field tags this mapping sends (e.g. LEGACY_ID): declared, they are not warned about as possible typos." }),
    fields: z.record(z.string(), fieldSpecSchema).meta({ description: 'CRM tag -> a column name, or a field spec.' }),
  })
  .meta({ title: 'wapi-bulk mapping', description: 'How the columns of a CSV become the fields of 8x8 Local CRM records.' });

export type RawMapping = z.output<typeof mappingSchema>;
export type RawFieldSpec = z.output<typeof fieldObjectSchema>;

/** The JSON Schema of mapping files, for editors (draft-07, which YAML language servers read). */
export function mappingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(mappingSchema, { io: 'input', target: 'draft-7' });
}
