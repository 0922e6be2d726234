/**
 * Rule checks of one `fields:` entry against the catalogue, and its normalised form. Part of
 * mapping-rules.ts, kept apart for size.
 */
import { CATALOGUE, fieldDef, type ObjectDef, type ObjectName } from '../protocol/catalogue.js';
import { isValidTagName } from '../protocol/escape.js';
import { checkFieldValue } from './check-value.js';
import { didYouMean } from './did-you-mean.js';
import { compileDateFormat, DATE_TOKENS_HELP, type CompiledDateFormat } from './date-format.js';
import { formatPath, type MappingPath, type MappingProblem } from './mapping-problem.js';
import type { RawFieldSpec } from './schema.js';
import { parseTemplate, templateColumns, type TemplatePart } from './template.js';
import type { DateTarget, FieldMapping, MappingAction, RefSpec, Transform } from './types.js';

export const OBJECT_NAMES: Record<ObjectName, string> = {
  CUSTOMER: 'Customer',
  CASE: 'Case',
  FOLLOWUP: 'Follow-up',
  TASK: 'Task',
  FAQ: 'FAQ',
  FAQCATEGORY: 'FAQ Category',
};

export interface FieldContext {
  readonly object: ObjectDef;
  readonly action: MappingAction;
  readonly problems: MappingProblem[];
  readonly warnings: MappingProblem[];
  /** Custom field tags the mapping declares (upper case): no "taken as a custom field" warning. */
  readonly declaredCustom: ReadonlySet<string>;
}

/** Tags an action takes, for "use one of" fixes. */
export function tagsFor(object: ObjectDef, action: 'ADD' | 'MODIFY' | 'GET'): string[] {
  return object.fields.filter((f) => f.actions[action] !== undefined && !f.filterOnly && (action !== 'GET' || f.reply)).map((f) => f.tag);
}

/** A standard tag the given one probably meant (`FIRST_NAME`, `EMIAL`, `COMPANYNAME`), if any. */
export function closeTag(object: ObjectDef, tag: string): string | undefined {
  return didYouMean(
    tag,
    object.fields.filter((f) => !f.readOnly && !f.filterOnly).map((f) => f.tag),
  );
}

function dateTargetOf(format: string | undefined, custom: boolean): DateTarget | undefined {
  if (custom) return 'date';
  return format === 'date' || format === 'datetime' || format === 'date-or-datetime' ? format : undefined;
}

function checkRef(ref: string | { object: string; by: string }, tag: string, path: MappingPath, ctx: FieldContext): RefSpec | undefined {
  if (typeof ref === 'string') return { kind: 'mapping', mapping: ref };
  const target = CATALOGUE[ref.object.toUpperCase() as ObjectName];
  const by = fieldDef(target, ref.by);
  if (by && by.actions.GET === undefined) {
    ctx.problems.push({
      path: [...path, 'ref', 'by'],
      message: `${ref.by} is not a field Get ${OBJECT_NAMES[target.name]} accepts`,
      fix: `use one of: ${tagsFor(target, 'GET').join(', ')}`,
    });
    return undefined;
  }
  if (!by) {
    ctx.warnings.push({ path: [...path, 'ref', 'by'], message: `${ref.by} is not a standard ${ref.object} field: taken as a custom field` });
  }
  if (tag.toUpperCase() !== target.idTag) {
    ctx.warnings.push({ path: [...path, 'ref'], message: `a ${ref.object} look-up gives its ${target.idTag}, and ${tag} will get that id` });
  }
  return { kind: 'lookup', object: target.name, by: by?.tag ?? ref.by };
}

/** Check one field spec; the normalised field, or undefined when it has problems. */
export function checkField(tag: string, spec: string | RawFieldSpec, ctx: FieldContext): FieldMapping | undefined {
  const path: MappingPath = ['fields', tag];
  const before = ctx.problems.length;
  const raw: RawFieldSpec = typeof spec === 'string' ? { column: spec } : spec;
  const { object, action } = ctx;
  const verb = (a: 'ADD' | 'MODIFY'): string => `${a === 'ADD' ? 'Add' : 'Modify'} ${OBJECT_NAMES[object.name]}`;

  if (!isValidTagName(tag)) {
    ctx.problems.push({ path, message: `"${tag}" is not a valid tag name`, fix: 'tags are letters, digits, "_", "." and "-", starting with a letter' });
    return undefined;
  }
  const def = fieldDef(object, tag);
  const custom = def === undefined;
  let onAdd = true;
  let onModify = true;
  if (def?.readOnly) {
    ctx.problems.push({ path, message: `${def.tag} is read-only: the server sets it`, fix: 'remove it' });
  } else if (def && def.tag === object.idTag && action !== 'add') {
    ctx.problems.push({
      path,
      message: `${def.tag} is the record's id, which ${action} does not take from fields`,
      fix: action === 'modify' || action === 'delete' ? `remove it and write id: <column holding the ${def.tag}>` : 'remove it: upsert finds the record by match',
    });
  } else if (def) {
    onAdd = def.actions.ADD !== undefined;
    onModify = def.actions.MODIFY !== undefined;
    const a = action === 'modify' || action === 'delete' ? 'MODIFY' : 'ADD';
    const taken = action === 'add' ? onAdd : action === 'modify' ? onModify : action === 'delete' ? def.actions.GET !== undefined || onModify : onAdd || onModify;
    if (!taken) {
      const which = action === 'upsert' ? `${verb('ADD')} or ${verb('MODIFY')}` : verb(a);
      ctx.problems.push({ path, message: `${def.tag} is not a field ${which} takes`, fix: `remove it; ${verb(a)} takes ${tagsFor(object, a).join(', ')}` });
    }
    if (action === 'upsert' && onAdd !== onModify) {
      const only = onAdd ? 'ADD' : 'MODIFY';
      ctx.warnings.push({ path, message: `${def.tag} is sent only when a row is ${only === 'ADD' ? 'added' : 'modified'}: ${verb(only === 'ADD' ? 'MODIFY' : 'ADD')} does not take it` });
    }
  } else if (!ctx.declaredCustom.has(tag.toUpperCase())) {
    // Found in review: an EMIAL typo passed validate and the dry run, and every row of the real
    // run failed with "not a valid tag". A tag is a catalogue field or a declared custom field.
    const close = closeTag(object, tag);
    ctx.problems.push({
      path,
      message: `${tag} is neither a ${object.name.toLowerCase()} field nor a custom field declared under customFields`,
      fix: close ? `did you mean ${close}? If ${tag} is a custom field of the tenant, list it under customFields:` : `fix the tag, or list it under customFields: if it is a custom field of the tenant`,
    });
  }

  const sources = (['column', 'value', 'template'] as const).filter((k) => raw[k] !== undefined);
  if (sources.length > 1) {
    ctx.problems.push({ path, message: `gives both ${sources.join(' and ')}`, fix: 'keep one: column reads the CSV, value is a constant, template combines columns' });
  }
  if (sources.length === 0 && raw.default === undefined) {
    ctx.problems.push({ path, message: 'has no source', fix: 'add column: <CSV column>, value: <constant> or template: "{a} {b}"' });
  }
  if (raw.otherwise !== undefined && raw.map === undefined) {
    ctx.problems.push({ path: [...path, 'otherwise'], message: 'otherwise without map', fix: 'add map: { from: to }, or use default for empty values' });
  }
  if (raw.map !== undefined && Object.keys(raw.map).length === 0) {
    ctx.problems.push({ path: [...path, 'map'], message: 'the map is empty', fix: 'add entries, from: to, or remove it' });
  }
  if (raw.map) {
    const seen = new Map<string, string>();
    for (const key of Object.keys(raw.map)) {
      const other = seen.get(key.toLowerCase());
      if (other !== undefined) {
        ctx.warnings.push({ path: [...path, 'map', key], message: `"${key}" and "${other}" differ only by case: each matches itself exactly, other spellings take the first` });
      } else seen.set(key.toLowerCase(), key);
    }
  }

  let template: TemplatePart[] | undefined;
  if (raw.template !== undefined) {
    const parsed = parseTemplate(raw.template);
    if (typeof parsed === 'string') ctx.problems.push({ path: [...path, 'template'], message: parsed });
    else if (templateColumns(parsed).length === 0) {
      ctx.problems.push({ path: [...path, 'template'], message: 'names no column', fix: 'put column names in braces, "{first} {last}", or use value: for a constant' });
    } else template = parsed;
  }

  const transforms = raw.transform ?? [];
  let truncate: number | undefined;
  if (transforms.includes('truncate')) {
    truncate = def?.maxLength;
    if (truncate === undefined) {
      ctx.problems.push({
        path: [...path, 'transform'],
        message: custom ? `truncate needs a maximum length, and the length of custom field ${tag} is not known here` : `truncate needs a maximum length, and ${def?.tag} has none`,
        fix: 'remove truncate',
      });
    }
  }

  let date: CompiledDateFormat | undefined;
  let dateTarget: DateTarget | undefined;
  if (raw.date !== undefined) {
    const compiled = compileDateFormat(raw.date);
    dateTarget = dateTargetOf(def?.format, custom);
    if (typeof compiled === 'string') {
      ctx.problems.push({ path: [...path, 'date'], message: `"${raw.date}" is not a date format: ${compiled}`, fix: `use ${DATE_TOKENS_HELP}` });
    } else if (dateTarget === undefined) {
      ctx.problems.push({ path: [...path, 'date'], message: `${def?.tag} is not a date field`, fix: 'remove date' });
    } else {
      date = compiled;
      if (dateTarget === 'date' && compiled.hasTime) {
        ctx.warnings.push({ path: [...path, 'date'], message: `${def?.tag ?? tag} takes a date only (MMDDYYYY): the time is dropped` });
      }
    }
  } else if (def && dateTargetOf(def.format, false) && (raw.column !== undefined || template)) {
    const form = def.format === 'date' ? 'MMDDYYYY' : 'MMDDYYYYHH24MI';
    ctx.warnings.push({ path, message: `${def.tag} takes ${form}, and values are sent as they are`, fix: 'add date: <format of the column> to convert, e.g. date: YYYY-MM-DD' });
  }

  let ref: RefSpec | undefined;
  if (raw.ref !== undefined) {
    if (raw.column === undefined) {
      ctx.problems.push({ path: [...path, 'ref'], message: 'a ref needs column: the column holding the legacy key or the look-up value', fix: 'add column: <CSV column>' });
    }
    if (raw.date !== undefined) ctx.problems.push({ path: [...path, 'date'], message: 'a ref field holds an id, not a date', fix: 'remove date' });
    ref = checkRef(raw.ref, tag, path, ctx);
  }

  // Constants are the same on every row: check them once, here, rather than fail every row.
  if (def && !def.readOnly && ref === undefined && date === undefined) {
    const constants: [MappingPath, string | undefined][] = [
      [[...path, 'value'], raw.value],
      [[...path, 'default'], raw.default],
      [[...path, 'otherwise'], raw.otherwise],
      ...Object.entries(raw.map ?? {}).map(([k, v]): [MappingPath, string] => [[...path, 'map', k], v]),
    ];
    for (const [at, v] of constants) {
      if (v === undefined || v === '') continue;
      const problem = checkFieldValue(truncate === undefined ? def : { ...def, maxLength: undefined }, v);
      if (problem) ctx.problems.push({ path: at, message: problem.message.replace(`${def.tag}: `, '') });
    }
  }

  if (ctx.problems.length > before) return undefined;
  return {
    tag: def?.tag ?? tag,
    path: formatPath(path),
    column: raw.column,
    value: raw.value,
    template,
    default: raw.default,
    map: raw.map,
    otherwise: raw.otherwise,
    trim: raw.trim ?? false,
    transform: transforms.filter((t): t is Exclude<Transform, 'truncate'> => t !== 'truncate'),
    truncate,
    date,
    dateTarget: date ? dateTarget : undefined,
    ref,
    compare: raw.compare,
    custom,
    def,
    onAdd,
    onModify,
  };
}
