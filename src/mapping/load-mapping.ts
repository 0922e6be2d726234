/**
 * Loading a mapping file in steps (STYLE.md, after changesets' config parse/rules): YAML, the
 * schema (shape), then the catalogue rules. Every problem of every step that could run is
 * reported at once, as `file:line: path: problem (fix)`, in one MappingError.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { formatProblem, MappingError, type MappingPath, type MappingProblem } from './mapping-problem.js';
import { checkMappingRules } from './mapping-rules.js';
import { mappingSchema } from './schema.js';
import { problemsFromIssues } from './schema-issues.js';
import type { Mapping } from './types.js';

/** The line of the deepest node along `path` that exists (a key's line for map entries). */
function lineOf(doc: Document, counter: LineCounter, path: MappingPath): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      offset = (node as { range?: [number] } | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

const BOOLEAN = /^(true|false)$/i;

/**
 * The failsafe YAML schema keeps every scalar a string, so that `value: 007`, `value: TRUE` and
 * `map: { 01: Gold }` stay what the user wrote. The few real booleans are converted here, and
 * object/action are read in any case.
 */
function normaliseScalars(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const top = { ...(input as Record<string, unknown>) };
  for (const key of ['object', 'action'] as const) if (typeof top[key] === 'string') top[key] = (top[key]).toLowerCase();
  if (typeof top['cascade'] === 'string' && BOOLEAN.test(top['cascade'])) top['cascade'] = top['cascade'].toLowerCase() === 'true';
  const csv = top.csv;
  if (csv && typeof csv === 'object' && !Array.isArray(csv)) {
    const out = { ...(csv as Record<string, unknown>) };
    for (const key of ['bom', 'relax_quotes']) {
      const value = out[key];
      if (typeof value === 'string' && BOOLEAN.test(value)) out[key] = value.toLowerCase() === 'true';
    }
    top.csv = out;
  }
  const fields = top.fields;
  if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
    const out: Record<string, unknown> = {};
    for (const [tag, spec] of Object.entries(fields as Record<string, unknown>)) {
      const trim = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).trim : undefined;
      out[tag] = typeof trim === 'string' && BOOLEAN.test(trim) ? { ...(spec as object), trim: trim.toLowerCase() === 'true' } : spec;
    }
    top.fields = out;
  }
  return top;
}

/** Top-level keys the rules do not depend on: dropped when they are malformed. */
const DROPPABLE = new Set(['$schema', 'name', 'csv', 'timezone']);

/**
 * The input with the parts the schema refused set aside: a bad field becomes a bare column (its
 * tag is still checked), a bad optional key and unknown keys are dropped. Undefined when what is
 * bad is something the rules need (object, action, key, match, id, the fields map itself).
 */
function withoutBadParts(input: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): Record<string, unknown> | undefined {
  const out = { ...input };
  const fields = out.fields && typeof out.fields === 'object' && !Array.isArray(out.fields) ? { ...(out.fields as Record<string, unknown>) } : undefined;
  for (const issue of issues) {
    const [top, tag] = issue.path;
    if (issue.path.length === 0 && issue.code === 'unrecognized_keys') for (const key of issue.keys) delete out[key];
    else if (top === 'fields' && typeof tag === 'string' && fields) fields[tag] = { column: '-' };
    else if (typeof top === 'string' && DROPPABLE.has(top)) delete out[top];
    else return undefined;
  }
  if (fields) out.fields = fields;
  return out;
}

/** Parse and check a mapping from its text; `fileName` names it in messages and gives the default name. */
export function parseMapping(text: string, fileName: string): Mapping {
  const counter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: counter, prettyErrors: false });
  // In file order, so that the list reads top to bottom with the file.
  const format = (problems: readonly MappingProblem[]): string[] =>
    problems
      .map((p, i) => ({ i, line: lineOf(doc, counter, p.path), p }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.i - b.i)
      .map(({ line, p }) => formatProblem(fileName, p, line));

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e): MappingProblem => ({ path: [], message: `not valid YAML: ${e.message.split('\n')[0]}` }));
    const lines = doc.errors.map((e, i) => {
      const line = e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line;
      return `${line === undefined ? fileName : `${fileName}:${line}`}: ${problems[i]?.message}`;
    });
    throw new MappingError(fileName, problems, lines);
  }
  let js: unknown;
  try {
    // yaml refuses a document whose aliases expand past its limit (a "billion laughs" bomb).
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Found in review: the refusal surfaced as "internal error, please report it as a bug".
    const problem: MappingProblem = {
      path: [],
      message: `the YAML expands its aliases (*name) too far to be a mapping (${(error as Error).message})`,
      fix: 'write the fields out instead of repeating anchors; a mapping needs no aliases',
    };
    throw new MappingError(fileName, [problem], [`${fileName}: ${problem.message} (${problem.fix})`]);
  }
  const input = normaliseScalars(js);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    const problem: MappingProblem = { path: [], message: 'a mapping file is a YAML map of object, action, key, fields...', fix: 'see mappings/customers.yaml' };
    throw new MappingError(fileName, [problem], format([problem]));
  }
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) {
    const problems = problemsFromIssues(parsed.error.issues, input);
    // Check the rules on what is left, so that one bad field does not hide the others' problems.
    const repaired = withoutBadParts(input as Record<string, unknown>, parsed.error.issues);
    const reparsed = repaired === undefined ? undefined : mappingSchema.safeParse(repaired);
    if (reparsed?.success) problems.push(...checkMappingRules(reparsed.data, fileName).problems);
    throw new MappingError(fileName, problems, format(problems));
  }
  const result = checkMappingRules(parsed.data, fileName);
  if (!result.mapping) throw new MappingError(fileName, result.problems, format(result.problems));
  return { ...result.mapping, warnings: format(result.warnings) };
}

/** Read, parse and check a mapping file. Throws MappingError (code MAPPING_INVALID). */
export async function loadMapping(file: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    const problem: MappingProblem = { path: [], message: `cannot read the mapping: ${reason}`, fix: 'check the --mapping path' };
    throw new MappingError(file, [problem], [`${file}: ${problem.message} (${problem.fix})`]);
  }
  return parseMapping(text.replace(/^\uFEFF/, ''), file);
}
