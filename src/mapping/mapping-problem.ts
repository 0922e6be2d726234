/** Problems found in a mapping file, each at a path (`fields.EMAIL.map`) with a fix. */
import { ConfigError } from '../protocol/errors.js';

export type MappingPath = ReadonlyArray<string | number>;

export interface MappingProblem {
  readonly path: MappingPath;
  readonly message: string;
  /** What to change, shown in parentheses after the message. */
  readonly fix?: string;
}

/** `fields.EMAIL.transform[1]`; keys that are not plain words are quoted: `fields["CF02.NAME"]`. */
export function formatPath(path: MappingPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(top level)';
}

/** `file:line: path: message (fix)`, the line when known. */
export function formatProblem(file: string, problem: MappingProblem, line?: number): string {
  const where = line === undefined ? file : `${file}:${line}`;
  const fix = problem.fix ? ` (${problem.fix})` : '';
  return `${where}: ${formatPath(problem.path)}: ${problem.message}${fix}`;
}

/**
 * A mapping file that cannot be used: every problem at once, one line each. Code
 * MAPPING_INVALID; `problems` carries them for programs.
 */
export class MappingError extends ConfigError {
  readonly file: string;
  readonly problems: readonly MappingProblem[];

  constructor(file: string, problems: readonly MappingProblem[], lines: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`mapping ${file} has ${count}:\n${lines.join('\n')}`, 'fix the mapping file; mappings/mapping.schema.json lets an editor check it as you type', 'MAPPING_INVALID');
    this.name = 'MappingError';
    this.file = file;
    this.problems = problems;
  }
}
