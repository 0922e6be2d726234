/**
 * The second step of loading a mapping: rules against the field catalogue, after the schema
 * has checked the shape. Every problem is collected, none stops the others (STYLE.md:
 * "every problem is reported at once").
 */
import { basename, extname } from 'node:path';
import { CATALOGUE, fieldDef, type ObjectName } from '../protocol/catalogue.js';
import { isValidTimeZone } from '../protocol/time-zones.js';
import { canonicalEncoding } from './encodings.js';
import { checkField, OBJECT_NAMES, tagsFor, type FieldContext } from './field-rules.js';
import type { MappingProblem } from './mapping-problem.js';
import type { RawMapping } from './schema.js';
import type { FieldMapping, Mapping } from './types.js';

export interface RuleResult {
  /** Undefined when there are problems. */
  readonly mapping?: Omit<Mapping, 'warnings'>;
  readonly problems: MappingProblem[];
  readonly warnings: MappingProblem[];
}

/** The fix for a missing mandatory field of Add. */
function mandatoryFix(object: ObjectName, tag: string): string {
  if (tag === 'AUTOPASSWD') return 'add AUTOPASSWD: { value: "TRUE" } to let the CRM make passwords';
  if (object === 'CASE' && tag === 'ACCOUNTNUM') return 'add ACCOUNTNUM: { ref: customers, column: <column of the legacy customer id> }';
  if (object === 'TASK' && tag === 'ACCOUNTNUM') return 'add ACCOUNTNUM: { ref: customers, column: <column of the legacy customer id> }';
  if (object === 'FOLLOWUP' && tag === 'CASENUM') return 'add CASENUM: { ref: cases, column: <column of the legacy case id> }';
  return `add ${tag}: <column>`;
}

export function checkMappingRules(raw: RawMapping, file: string): RuleResult {
  const problems: MappingProblem[] = [];
  const warnings: MappingProblem[] = [];
  const objectName = raw.object.toUpperCase() as ObjectName;
  const object = CATALOGUE[objectName];
  const action = raw.action;
  const verbAdd = `Add ${OBJECT_NAMES[objectName]}`;

  if (raw.object === 'followup' && action === 'delete') {
    problems.push({
      path: ['action'],
      message: 'follow-ups cannot be deleted by file: a follow-up is found by its case and number only',
      fix: "delete the case (its follow-ups go with it), or remove the follow-ups in the CRM",
    });
  } else if (raw.object === 'followup' && action !== 'add') {
    problems.push({
      path: ['action'],
      message: `follow-ups can only be added: the guide has no Modify Follow-up, so ${action} cannot work`,
      fix: 'use action: add',
    });
  }

  // How modify and upsert find the record.
  const matchDef = raw.match === undefined ? undefined : fieldDef(object, raw.match);
  const match = raw.match === undefined ? undefined : (matchDef?.tag ?? raw.match);
  if (action === 'add') {
    // An add keeps its match: it is how an Add whose reply was lost is checked before it is
    // sent again (README, "Resume, and never sending a row twice").
    if (raw.id !== undefined) warnings.push({ path: ['id'], message: 'add does not take an id: id is not used' });
  } else if ((action === 'modify' || action === 'delete') && raw.match === undefined && raw.id === undefined) {
    problems.push({
      path: ['action'],
      message: `${action} needs to know which record to ${action === 'modify' ? 'change' : 'delete'}`,
      fix: `add match: <CRM field to find it by>, or id: <column holding the ${object.idTag}>`,
    });
  } else if ((action === 'modify' || action === 'delete') && raw.match !== undefined && raw.id !== undefined) {
    problems.push({ path: ['id'], message: `${action} takes match or id, not both`, fix: 'keep id when the CSV has the CRM ids, match otherwise' });
  } else if (action === 'upsert') {
    if (raw.match === undefined) {
      problems.push({ path: ['action'], message: 'upsert needs match: the CRM field whose value finds an existing record', fix: 'add match: <field>, e.g. match: EMAIL' });
    }
    if (raw.id !== undefined) problems.push({ path: ['id'], message: 'upsert finds records by match and does not take id', fix: 'remove id, or use action: modify' });
  }
  if (match !== undefined) {
    if (matchDef && matchDef.tag === object.idTag) {
      problems.push({ path: ['match'], message: `${matchDef.tag} is the record's id`, fix: `use id: <column holding the ${matchDef.tag}> with action: modify` });
    } else if (matchDef && (matchDef.actions.GET === undefined || matchDef.filterOnly)) {
      problems.push({
        path: ['match'],
        message: `${matchDef.tag} is not a field Get ${OBJECT_NAMES[objectName]} can find a record by`,
        fix: `use one of: ${tagsFor(object, 'GET').filter((t) => t !== object.idTag).join(', ')}, or a custom field`,
      });
    } else if (!Object.keys(raw.fields).some((t) => (fieldDef(object, t)?.tag ?? t).toUpperCase() === match.toUpperCase())) {
      problems.push({ path: ['match'], message: `${match} is not in fields, so rows have no value to find records by`, fix: `add fields.${match}: <column>` });
    }
  }

  const timezone = raw.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) {
    problems.push({ path: ['timezone'], message: `"${timezone}" is not an IANA time zone`, fix: 'use a name like UTC, Europe/Berlin or America/New_York' });
  }

  // Fields.
  const declaredCustom = new Set((raw.customFields ?? []).map((t) => t.toUpperCase()));
  for (const [i, tag] of (raw.customFields ?? []).entries()) {
    const standard = fieldDef(object, tag);
    if (standard) problems.push({ path: ['customFields', i], message: `${tag} is a standard ${object.name.toLowerCase()} field, not a custom one`, fix: 'remove it from customFields' });
    else if (!Object.keys(raw.fields).some((t) => t.toUpperCase() === tag.toUpperCase())) {
      warnings.push({ path: ['customFields', i], message: `${tag} is declared but not in fields`, fix: `map it under fields, or remove it` });
    }
  }
  const ctx: FieldContext = { object, action, problems, warnings, declaredCustom };
  const fields: FieldMapping[] = [];
  const seen = new Map<string, string>();
  if (Object.keys(raw.fields).length === 0) problems.push({ path: ['fields'], message: 'no fields', fix: 'map at least the fields the object needs' });
  for (const [tag, spec] of Object.entries(raw.fields)) {
    const canonical = (fieldDef(object, tag)?.tag ?? tag).toUpperCase();
    const other = seen.get(canonical);
    if (other !== undefined) {
      problems.push({ path: ['fields', tag], message: `${tag} and ${other} are the same field`, fix: 'keep one' });
      continue;
    }
    seen.set(canonical, tag);
    const field = checkField(tag, spec, ctx);
    if (field) fields.push(field);
  }

  if (raw.cascade !== undefined && (action !== 'delete' || objectName !== 'CUSTOMER')) {
    warnings.push({ path: ['cascade'], message: 'cascade is used by action: delete of customers only: ignored' });
  }
  if (action === 'delete') {
    for (const tag of Object.keys(raw.fields)) {
      const canonical = (fieldDef(object, tag)?.tag ?? tag).toUpperCase();
      if (canonical !== match?.toUpperCase()) warnings.push({ path: ['fields', tag], message: `${tag} is not used by delete: only ${match ?? `the id column`} finds the record` });
    }
  }
  if (action === 'add' || action === 'upsert') {
    for (const def of object.fields) {
      if (def.actions.ADD === 'M' && !seen.has(def.tag)) {
        problems.push({ path: ['fields'], message: `${verbAdd} needs ${def.tag}, which is not mapped`, fix: mandatoryFix(objectName, def.tag) });
      }
    }
  }

  // Rules between fields that constants already decide.
  const constant = (tag: string): string | undefined => fields.find((f) => f.tag === tag)?.value;
  if (objectName === 'CUSTOMER') {
    const auto = constant('AUTOPASSWD')?.toUpperCase();
    if (auto === 'FALSE' && !seen.has('PASSWORD')) {
      problems.push({ path: ['fields', 'AUTOPASSWD'], message: 'AUTOPASSWD is FALSE but PASSWORD is not mapped', fix: 'map PASSWORD, or set AUTOPASSWD to "TRUE"' });
    }
    if (auto === 'TRUE' && seen.has('PASSWORD')) {
      problems.push({ path: ['fields', 'PASSWORD'], message: 'AUTOPASSWD is TRUE, and the guide rejects PASSWORD with it', fix: 'remove PASSWORD, or set AUTOPASSWD to "FALSE"' });
    }
  }
  if (objectName === 'CASE' && seen.has('ASSIGNEDTO') && !seen.has('STATUS')) {
    warnings.push({ path: ['fields', 'ASSIGNEDTO'], message: 'rows with an ASSIGNEDTO need a STATUS, and STATUS is not mapped', fix: 'map STATUS' });
  }
  if (objectName === 'TASK' && seen.has('REMINDER') && !seen.has('DUEDATE')) {
    warnings.push({ path: ['fields', 'REMINDER'], message: 'REMINDER Y needs a DUEDATE, and DUEDATE is not mapped', fix: 'map DUEDATE' });
  }

  const name = raw.name ?? basename(file, extname(file));
  if (raw.name === undefined && !/^(?!\.)[A-Za-z0-9_.-]+$/.test(name)) {
    // The name names the report folder and the id map: it comes from the file name unless given.
    problems.push({ path: [], message: `the file name gives the mapping the name "${name}", which cannot name a report folder`, fix: 'add name: <letters, digits, "_", "-">' });
  }
  if (problems.length > 0) return { problems, warnings };
  const matchTag = match === undefined ? undefined : (fields.find((f) => f.tag.toUpperCase() === match.toUpperCase())?.tag ?? match);
  return {
    problems,
    warnings,
    mapping: {
      file,
      name,
      object: raw.object,
      objectName,
      action,
      key: raw.key,
      match: matchTag,
      id: raw.id,
      cascade: raw.cascade ?? false,
      csv: {
        delimiter: raw.csv?.delimiter ?? ',',
        encoding: canonicalEncoding(raw.csv?.encoding ?? 'auto'),
        bom: raw.csv?.bom ?? true,
        quote: raw.csv?.quote ?? '"',
        relaxQuotes: raw.csv?.relax_quotes ?? false,
      },
      timezone,
      timezoneFromFile: raw.timezone !== undefined,
      fields,
      customFields: fields.filter((f) => f.custom).map((f) => f.tag),
    },
  };
}
