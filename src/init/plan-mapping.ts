/**
 * The mapping `wapi-bulk init` proposes for a CSV sample: columns matched to fields by name
 * (synonyms.ts) and checked against their values, likely transforms, date formats, a key and a
 * match. Pure: a sample in, a plan out. Where a person must choose, the plan says TODO, and
 * where a wrong guess would import wrong data it leaves the choice undone so that the mapping
 * fails to load or to validate until someone makes it.
 */
import { CATALOGUE, type FieldDef, type ObjectName } from '../protocol/catalogue.js';
import type { MappingAction, MappingObject } from '../mapping/types.js';
import { detectDateFormat, distinct, fillRate, isUniqueKey, looksLikeCountryCodes, looksLikeEmails, maxLength, values } from './detect-values.js';
import type { CsvSample } from './read-sample.js';
import { FIELD_SYNONYMS, fold, KEY_SYNONYMS, LEGACY_FIELD, PARENT_SYNONYMS, SECRET_COLUMN } from './synonyms.js';

export interface PlannedSpec {
  readonly column?: string;
  readonly value?: string;
  readonly ref?: string | { readonly object: string; readonly by: string };
  readonly trim?: boolean;
  readonly transform?: readonly string[];
  readonly map?: Readonly<Record<string, string>>;
  readonly date?: string;
}

export interface PlannedField {
  readonly tag: string;
  readonly spec: PlannedSpec;
  /** Comment lines above the field; those starting with TODO need a person. */
  readonly notes: readonly string[];
}

export interface MappingPlan {
  readonly object: MappingObject;
  readonly action: MappingAction;
  readonly key: string;
  readonly keyNotes: readonly string[];
  readonly match: string | undefined;
  readonly matchNote: string | undefined;
  readonly customFields: readonly string[];
  readonly delimiter: string;
  /** The encoding the file was read with, and why when it is not plain UTF-8. */
  readonly encoding: string;
  readonly encodingNote: string | undefined;
  readonly fields: readonly PlannedField[];
  /** Mandatory fields no column was found for: TODO lines, and the mapping fails to load. */
  readonly missing: readonly string[];
  readonly unmatched: readonly { readonly column: string; readonly note: string }[];
  readonly sampleRows: number;
  readonly truncated: boolean;
}

const DEFAULT_ACTION: Readonly<Record<MappingObject, MappingAction>> = { customer: 'upsert', case: 'add', task: 'add', followup: 'add' };

/** The key column written when none is found: not a column, so the header check names it. */
const NO_KEY = 'TODO: the column that names each row';

const TRUE_WORDS = new Set(['y', 'yes', 'true', '1', 'x', 'on', 'ja', 'oui', 'si']);
const FALSE_WORDS = new Set(['n', 'no', 'false', '0', 'off', 'nein', 'non']);
const PHONE_TAGS = new Set(['VOICE', 'ALTERNATIVE', 'FAX', 'PHONE']);
const EMAIL_TAGS = new Set(['EMAIL']);

function quoteList(vs: readonly string[], max = 8): string {
  const shown = vs.slice(0, max).map((v) => JSON.stringify(v.length > 30 ? `${v.slice(0, 29)}…` : v));
  return vs.length > max ? `${shown.join(', ')} and ${vs.length - max} more` : shown.join(', ');
}

function countryNames(codes: readonly string[]): Record<string, string> | undefined {
  let names: Intl.DisplayNames;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const code of codes) {
    const name = names.of(code.toUpperCase());
    if (!name || name === code.toUpperCase()) return undefined;
    out[code] = name;
  }
  return out;
}

interface Candidate {
  readonly tag: string;
  readonly column: string;
  readonly score: number;
  readonly fill: number;
  readonly index: number;
}

/** Whether a column's values can be what the field holds (names alone mislead: HasOptedOutOfEmail). */
function valuesFit(def: FieldDef | undefined, tag: string, vs: readonly string[]): boolean {
  if (vs.length === 0) return true;
  if (EMAIL_TAGS.has(tag)) return looksLikeEmails(vs);
  if (PHONE_TAGS.has(tag)) return vs.filter((v) => /\d/.test(v)).length / vs.length >= 0.5;
  if (def?.format === 'datetime' || def?.format === 'date') return detectDateFormat(vs).kind !== 'none';
  return true;
}

export interface PlanOptions {
  readonly object: MappingObject;
  readonly action?: MappingAction;
}

export function planMapping(sample: CsvSample, options: PlanOptions): MappingPlan {
  const { object } = options;
  const action = options.action ?? DEFAULT_ACTION[object];
  const objectDef = CATALOGUE[object.toUpperCase() as ObjectName];
  const rows = sample.rows;
  // The last of repeated columns wins, as the import reads them.
  const byFold = new Map<string, string>();
  for (const column of sample.header) byFold.set(fold(column), column);
  const secret = (column: string) => SECRET_COLUMN.test(fold(column));
  const used = new Set<string>();

  // The key: a column of ids, every row filled, no two alike.
  let key: string | undefined;
  const keyNotes: string[] = [];
  for (const syn of KEY_SYNONYMS[object]) {
    const column = byFold.get(syn);
    if (column !== undefined && isUniqueKey(rows, column)) {
      key = column;
      break;
    }
    if (column !== undefined && keyNotes.length === 0) keyNotes.push(`${column} looked like the key, but the sample has it empty or repeated`);
  }

  // The parent: a case's or task's customer, a follow-up's case.
  let parent: PlannedField | undefined;
  const parentTag = objectDef.parentTag;
  if (object !== 'customer' && parentTag) {
    const refName = object === 'followup' ? 'cases' : 'customers';
    const what = object === 'followup' ? 'case' : 'customer';
    for (const syn of PARENT_SYNONYMS[object]) {
      const column = byFold.get(syn);
      if (column === undefined || column === key) continue;
      parent = {
        tag: parentTag,
        spec: { ref: refName, column },
        notes: [
          `${parentTag}: the ${parentTag} your ${what}s import gave each legacy ${what} id in ${column}.`,
          `TODO: check that "${refName}" is the name of your ${what} mapping (its file name), and that its key holds these ids.`,
        ],
      };
      used.add(column);
      break;
    }
    if (!parent && object !== 'followup') {
      const emailColumn = sample.header.find((c) => c !== key && fold(c).includes('email') && looksLikeEmails(values(rows, c)));
      if (emailColumn !== undefined) {
        parent = {
          tag: parentTag,
          spec: { ref: { object: 'customer', by: 'EMAIL' }, column: emailColumn },
          notes: [`${parentTag}: the customer whose EMAIL is in ${emailColumn}, looked up in the CRM (customers must be imported first).`],
        };
        used.add(emailColumn);
      }
    }
  }

  // Fields by name, checked against their values; the best (name, fill) first.
  const table = FIELD_SYNONYMS[object];
  const candidates: Candidate[] = [];
  sample.header.forEach((column, index) => {
    if (used.has(column) || secret(column)) return;
    const f = fold(column);
    for (const [tag, synonyms] of Object.entries(table)) {
      const def = objectDef.fields.find((d) => d.tag === tag);
      let score = synonyms.indexOf(f);
      if (score < 0) {
        const suffix = synonyms.findIndex((s) => s.length >= 5 && f.endsWith(s));
        if (suffix < 0) continue;
        score = 100 + suffix;
      }
      const fill = fillRate(rows, column);
      // An empty column says nothing: Atomic CRM exports email_work empty beside a full email_other.
      if ((rows.length > 0 && fill === 0) || !valuesFit(def, tag, values(rows, column))) continue;
      candidates.push({ tag, column, score, fill, index });
    }
  });
  candidates.sort((a, b) => a.score - b.score || b.fill - a.fill || a.index - b.index);
  const chosen = new Map<string, string>();
  const alsoFor = new Map<string, string[]>();
  for (const c of candidates) {
    if (chosen.has(c.tag)) {
      if (!used.has(c.column)) alsoFor.set(c.tag, [...(alsoFor.get(c.tag) ?? []), c.column]);
      continue;
    }
    if (used.has(c.column)) continue;
    chosen.set(c.tag, c.column);
    used.add(c.column);
  }

  const fields: PlannedField[] = [];
  if (parent) fields.push(parent);
  // In the catalogue's order, as a person reads the object.
  for (const def of objectDef.fields) {
    const column = chosen.get(def.tag);
    if (column === undefined) continue;
    fields.push(planField(def, column, rows, alsoFor.get(def.tag)?.filter((c) => !used.has(c)) ?? []));
  }
  if (object === 'customer' && action !== 'modify') {
    fields.push({ tag: 'AUTOPASSWD', spec: { value: 'TRUE' }, notes: ['Add Customer needs AUTOPASSWD: TRUE lets the CRM make each password.'] });
  }

  // The legacy id kept in a custom field: what later runs find records by.
  let match: string | undefined;
  let matchNote: string | undefined;
  const customFields: string[] = [];
  const legacy = LEGACY_FIELD[object];
  if (key !== undefined && legacy !== undefined) {
    fields.push({
      tag: legacy,
      spec: { column: key },
      notes: [`The legacy id, kept in a custom field so that a second run finds what the first one added.`, `TODO: ${legacy} must be a custom field of your tenant (a unique text field): create it, or write your field's name here and under customFields.`],
    });
    customFields.push(legacy);
    match = legacy;
    matchNote = action === 'add' ? 'add: how an Add whose reply was lost is checked before it is sent again' : 'the field that finds the record already in the CRM';
  } else if (object === 'customer' && chosen.has('EMAIL')) {
    match = 'EMAIL';
    matchNote = 'no legacy id column: customers are found by their email';
  }

  const missing: string[] = [];
  if (action !== 'modify') {
    for (const def of objectDef.fields) {
      if (def.actions.ADD !== 'M' || fields.some((f) => f.tag === def.tag)) continue;
      missing.push(missingTodo(object, def.tag));
    }
  }
  if (action !== 'add' && match === undefined) missing.push(`TODO: ${action} needs match: the CRM field that finds the record already there (e.g. match: EMAIL, mapped under fields).`);
  if (key === undefined) keyNotes.push('TODO: no column names each row uniquely in the sample: write the one that does (a legacy id) as key.');

  const unmatched = sample.header
    .filter((column) => !used.has(column) && column !== key)
    .map((column) => ({ column, note: describeUnmatched(column, rows, secret(column)) }));

  return {
    object,
    action,
    key: key ?? NO_KEY,
    keyNotes,
    match,
    matchNote,
    customFields,
    delimiter: sample.delimiter,
    encoding: sample.encoding,
    encodingNote: sample.encodingNote,
    fields,
    missing,
    unmatched,
    sampleRows: rows.length,
    truncated: sample.truncated,
  };
}

function missingTodo(object: MappingObject, tag: string): string {
  if (object === 'followup' && tag === 'CASENUM') return 'TODO: Add Follow-up needs CASENUM: no column of case ids was found; add CASENUM: { ref: cases, column: <column of the legacy case id> }.';
  if (tag === 'ACCOUNTNUM') return `TODO: Add ${object === 'case' ? 'Case' : 'Task'} needs ACCOUNTNUM: no column naming the customer was found; add ACCOUNTNUM: { ref: customers, column: <column of the legacy customer id> }.`;
  if (tag === 'SUBJECT' && object === 'followup') return 'TODO: Add Follow-up needs SUBJECT and no column was recognised: map one, or give every follow-up the same, SUBJECT: { value: Note from the old CRM }.';
  return `TODO: Add ${object} needs ${tag} and no column was recognised: add ${tag}: <column>.`;
}

function describeUnmatched(column: string, rows: readonly Readonly<Record<string, string>>[], secret: boolean): string {
  if (secret) return 'not imported: it looks like a password or secret (AUTOPASSWD TRUE lets the CRM make passwords)';
  const vs = values(rows, column);
  if (vs.length === 0) return 'empty in the sample';
  const date = detectDateFormat(vs);
  if (date.kind === 'format') return `dates (date: ${date.format}), e.g. ${quoteList(vs, 1)}: a custom date field would take them`;
  if (date.kind === 'ambiguous') return `dates, ${date.formats.join(' or ')}: the sample cannot tell which`;
  return `e.g. ${quoteList(distinct(rows, column), 3)}`;
}

function planField(def: FieldDef, column: string, rows: readonly Readonly<Record<string, string>>[], others: readonly string[]): PlannedField {
  const vs = values(rows, column);
  const notes: string[] = [];
  const spec: { -readonly [K in keyof PlannedSpec]: PlannedSpec[K] } = { column };
  if (others.length > 0) notes.push(`Also a candidate: ${others.join(', ')} (${column} is the fullest in the sample).`);
  if (['FIRSTNAME', 'LASTNAME', 'SUBJECT'].includes(def.tag)) spec.trim = true;
  if (def.tag === 'EMAIL') spec.transform = ['trim', 'lower'];
  if (PHONE_TAGS.has(def.tag)) spec.transform = ['phone'];
  if (def.tag === 'COMPANY') spec.transform = ['collapse-spaces'];
  if (def.format === 'agent') {
    spec.transform = ['trim'];
    notes.push(`TODO: ${def.tag} takes the tenant's agent (or group) ids; the sample holds ${quoteList(distinct(rows, column))}. Map them if they differ: map: { "old owner": agentid }.`);
  }
  if (def.format === 'enum' && def.list === 'COUNTRY') {
    const codes = distinct(rows, column).filter((v) => looksLikeCountryCodes([v]));
    if (codes.length > 0) {
      const names = countryNames(codes);
      if (names) {
        spec.map = names;
        notes.push(`Two-letter codes become country names, other values pass as they are; check they are the tenant's (validate --url lists them).`);
      } else notes.push(`TODO: the sample holds country codes (${quoteList(codes)}); the CRM takes country names: map them.`);
    }
  } else if (def.format === 'enum') {
    const seen = distinct(rows, column);
    if (seen.length > 0) notes.push(`TODO: ${def.tag} takes the tenant's ${def.list ?? 'list'} values; the sample holds ${quoteList(seen, 12)}. Map them: map: { old: New }.`);
  }
  if (def.format === 'yn') {
    const seen = distinct(rows, column);
    const map: Record<string, string> = {};
    for (const v of seen) {
      const w = v.toLowerCase();
      if (w === 'y' || w === 'n') continue;
      if (TRUE_WORDS.has(w)) map[v] = 'Y';
      else if (FALSE_WORDS.has(w)) map[v] = 'N';
      else notes.push(`TODO: ${def.tag} takes Y or N; the sample also holds ${JSON.stringify(v)}: map it.`);
    }
    if (Object.keys(map).length > 0) spec.map = map;
  }
  if (def.format === 'datetime' || def.format === 'date') {
    const detected = detectDateFormat(vs);
    if (detected.kind === 'format') spec.date = detected.format;
    else if (detected.kind === 'ambiguous') {
      // Not a format: loading fails on it until a person keeps one of the two.
      spec.date = `TODO: ${detected.formats.join(' or ')}`;
      notes.push(`TODO: every date in the sample reads both as ${detected.formats[0]} and as ${detected.formats[1]}: keep the one your export writes.`);
    } else if (vs.length > 0) notes.push(`TODO: the sample's values are not dates in a format init knows (${quoteList(vs, 2)}): add date: <format>.`);
  }
  const empty = rows.length - vs.length;
  if (def.actions.ADD === 'M' && empty > 0) {
    notes.push(`TODO: ${def.tag} is mandatory and ${empty} of the sample's ${rows.length} rows have ${column} empty: those rows will fail; add default: <text> to give them one.`);
  }
  if (def.maxLength !== undefined && def.maxLength < 100_000) {
    const longest = maxLength(vs);
    if (longest > def.maxLength) notes.push(`TODO: the sample has values of ${longest} characters, more than the ${def.maxLength} ${def.tag} holds: shorten them, or add truncate to transform.`);
  }
  return { tag: def.tag, spec, notes };
}
