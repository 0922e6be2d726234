/**
 * zod issues of a mapping file as problems a person can act on: a path, what is wrong, a fix.
 * zod's own words ("Invalid input") say too little about a union such as a field spec, which is
 * a column name or an object: pick the branch the input was meant for.
 */
import type { z } from 'zod';
import type { MappingPath, MappingProblem } from './mapping-problem.js';
import { didYouMean } from './did-you-mean.js';
import { csvSchema, fieldObjectSchema, mappingSchema, refLookupSchema } from './schema.js';

// The keys each level takes, from the schema itself: a list kept by hand here once lacked
// customFields, so a typo of it was told a wrong list of keys.
const TOP_KEYS = Object.keys(mappingSchema.shape);
const CSV_KEYS = Object.keys(csvSchema.shape);
const FIELD_KEYS = Object.keys(fieldObjectSchema.shape);
const REF_KEYS = Object.keys(refLookupSchema.shape);

const REQUIRED_FIX: Record<string, string> = {
  object: 'add object: customer (or case, task, followup)',
  action: 'add action: add (or modify, upsert)',
  key: 'add key: <the CSV column that names a row, e.g. legacy_id>',
  fields: 'add fields: with one entry per CRM field, TAG: column',
  by: 'add by: <the field to look the record up by, e.g. EMAIL>',
};

function keysAt(path: MappingPath): string[] | undefined {
  if (path.length === 0) return TOP_KEYS;
  if (path.length === 1 && path[0] === 'csv') return CSV_KEYS;
  if (path.length === 2 && path[0] === 'fields') return FIELD_KEYS;
  if (path.length === 3 && path[0] === 'fields' && path[2] === 'ref') return REF_KEYS;
  return undefined;
}

/** The known key a mistyped one probably meant. */
function nearest(key: string, known: readonly string[]): string | undefined {
  return didYouMean(key, known);
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function at(input: unknown, path: MappingPath): unknown {
  let v = input;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

function unionProblem(path: MappingPath, input: unknown): MappingProblem {
  const last = path[path.length - 1];
  if (path.length === 2 && path[0] === 'fields') {
    return {
      path,
      message: `must be a column name or a map of ${FIELD_KEYS.join(', ')}; it is ${typeName(input)}`,
      fix: 'write TAG: column, or TAG: { column: name, ... }',
    };
  }
  if (last === 'ref') return { path, message: `must be a mapping name or { object, by }; it is ${typeName(input)}`, fix: 'write ref: customers, or ref: { object: customer, by: EMAIL }' };
  return { path, message: `must be text, a number or true/false; it is ${typeName(input)}` };
}

/** Problems from zod issues, with `prefix` before each path (for issues inside a union branch). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: MappingPath = []): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const issue of issues) {
    const path: MappingPath = [...prefix, ...(issue.path as (string | number)[])];
    const value = at(input, path);
    switch (issue.code) {
      case 'invalid_union': {
        // The branch the input was meant for is the one that did not fail on the type of the
        // value itself.
        const branch = issue.errors.find((errs) => !errs.every((e) => e.code === 'invalid_type' && e.path.length === 0));
        problems.push(...(branch ? problemsFromIssues(branch, input, path) : [unionProblem(path, value)]));
        break;
      }
      case 'unrecognized_keys': {
        const known = keysAt(path) ?? [];
        for (const key of issue.keys) {
          const near = nearest(key, known);
          problems.push({
            path: [...path, key],
            message: `unknown key "${key}"`,
            fix: near ? `did you mean ${near}?` : known.length ? `known keys: ${known.join(', ')}` : undefined,
          });
        }
        break;
      }
      case 'invalid_type': {
        const last = String(path[path.length - 1] ?? '');
        if (value === undefined) problems.push({ path, message: 'is missing', fix: REQUIRED_FIX[last] });
        else if (issue.expected === 'boolean') problems.push({ path, message: `must be true or false; it is ${typeName(value)}` });
        else if (issue.expected === 'record' || issue.expected === 'object') problems.push({ path, message: `must be a map (key: value lines); it is ${typeName(value)}` });
        else if (issue.expected === 'array') problems.push({ path, message: `must be a list, [a, b]; it is ${typeName(value)}` });
        else problems.push({ path, message: `must be ${issue.expected === 'string' ? 'text' : issue.expected}; it is ${typeName(value)}` });
        break;
      }
      case 'too_small':
        problems.push({ path, message: typeof value === 'string' ? 'must not be empty' : issue.message });
        break;
      default:
        problems.push({ path, message: issue.message });
    }
  }
  return problems;
}
