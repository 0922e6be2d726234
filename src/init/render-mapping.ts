/**
 * A MappingPlan as the YAML file a person edits: the shape of the shipped mappings (one line
 * per field, flow maps), the plan's notes as comments, TODO where a person must decide, and the
 * columns left out listed at the end.
 */
import type { MappingPlan, PlannedSpec } from './plan-mapping.js';

/** Plain when it reads back as the same string in a flow map, double-quoted (JSON escapes are YAML's too) otherwise. */
export function yamlScalar(value: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_ ./()@+-]*$/.test(value) && !/\s$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function flowMap(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

function renderSpec(spec: PlannedSpec): string {
  const keys = Object.keys(spec).filter((k) => spec[k as keyof PlannedSpec] !== undefined);
  if (keys.length === 1 && spec.column !== undefined) return yamlScalar(spec.column);
  const out: Array<[string, string]> = [];
  if (spec.ref !== undefined) {
    out.push(['ref', typeof spec.ref === 'string' ? yamlScalar(spec.ref) : flowMap([['object', spec.ref.object], ['by', spec.ref.by]])]);
  }
  if (spec.column !== undefined) out.push(['column', yamlScalar(spec.column)]);
  if (spec.value !== undefined) out.push(['value', JSON.stringify(spec.value)]);
  if (spec.trim) out.push(['trim', 'true']);
  if (spec.transform) out.push(['transform', `[${spec.transform.join(', ')}]`]);
  if (spec.map) out.push(['map', flowMap(Object.entries(spec.map).map(([k, v]) => [yamlScalar(k), yamlScalar(v)]))]);
  if (spec.date !== undefined) out.push(['date', yamlScalar(spec.date)]);
  return flowMap(out);
}

export interface RenderOptions {
  /** The CSV as the header comment names it. */
  readonly input: string;
  /** Path of mapping.schema.json relative to the mapping file, for the editor line. */
  readonly schema: string;
  /** The file being written (for the validate command in the header); stdout when undefined. */
  readonly out?: string;
}

export function renderMapping(plan: MappingPlan, options: RenderOptions): string {
  const lines: string[] = [];
  // A CSV header or value may hold a line break; a comment must stay one line.
  const comment = (text: string, indent = '') => lines.push(`${indent}# ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`);
  lines.push(`# yaml-language-server: $schema=${options.schema}`);
  comment(`Written by \`wapi-bulk init\` from ${options.input} (${plan.sampleRows} sample rows${plan.truncated ? '; the rest of the file was not read' : ''}).`);
  comment('Read every line: TODO marks a choice init could not make, and the file does not validate until it is made.');
  comment(`Then: wapi-bulk validate ${options.input} --mapping ${options.out ?? '<this file>'}`);
  lines.push(`object: ${plan.object}`);
  lines.push(`action: ${plan.action}`);
  for (const note of plan.keyNotes) comment(note);
  lines.push(`key: ${yamlScalar(plan.key)}`);
  if (plan.match !== undefined) lines.push(`match: ${plan.match}${plan.matchNote ? `   # ${plan.matchNote}` : ''}`);
  // The encoding found is written down, so the import reads the file the way init did; a note
  // says why when it is not plain UTF-8 (check it: windows-1252 is a guess between code pages).
  if (plan.encodingNote) comment(`${plan.encodingNote}`);
  lines.push(`csv: { delimiter: ${JSON.stringify(plan.delimiter)}, encoding: ${plan.encoding} }`);
  if (plan.customFields.length > 0) lines.push(`customFields: [${plan.customFields.map(yamlScalar).join(', ')}]   # the tenant's custom fields this mapping sends`);
  lines.push('fields:');
  for (const field of plan.fields) {
    for (const note of field.notes) comment(note, '  ');
    lines.push(`  ${yamlScalar(field.tag)}: ${renderSpec(field.spec)}`);
  }
  for (const todo of plan.missing) comment(todo, '  ');
  if (plan.unmatched.length > 0) {
    comment('Columns not mapped (map them under fields if they belong in the CRM):');
    for (const u of plan.unmatched) comment(`  ${u.column}: ${u.note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** How many TODO lines the file holds: what is left to decide. */
export function countTodos(text: string): number {
  return text.split('\n').filter((line) => /#\s*TODO\b|"TODO\b/.test(line)).length;
}
