/**
 * `wapi-bulk init`: read a CSV's header and a sample of rows, propose a mapping, write it (or
 * return it for stdout), and check the result the way `validate` will: the mapping is loaded
 * and the header checked, and every problem left is returned for the person to see.
 */
import { access, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHeader } from '../mapping/check-header.js';
import { parseMapping } from '../mapping/load-mapping.js';
import { MappingError } from '../mapping/mapping-problem.js';
import type { MappingAction, MappingObject } from '../mapping/types.js';
import { ConfigError } from '../protocol/errors.js';
import { planMapping, type MappingPlan } from './plan-mapping.js';
import { readSample } from './read-sample.js';
import { countTodos, renderMapping } from './render-mapping.js';

/** The packaged JSON Schema of mapping files, found from src/ and from dist/ alike. */
const SCHEMA_FILE = fileURLToPath(new URL('../../mappings/mapping.schema.json', import.meta.url));

export interface InitOptions {
  readonly file: string;
  readonly object: MappingObject;
  readonly action?: MappingAction;
  /** Where to write the mapping; without it the caller prints `text`. */
  readonly out?: string;
  /** Overwrite an existing `out`. */
  readonly force?: boolean;
  readonly sampleRows?: number;
  readonly cwd?: string;
}

export interface InitResult {
  readonly text: string;
  /** The file written, absolute; undefined when none was. */
  readonly out: string | undefined;
  readonly plan: MappingPlan;
  /** TODO lines in the file. */
  readonly todos: number;
  /** What `validate` would stop on before reading any row: mapping problems, header problems. */
  readonly problems: readonly string[];
}

export async function initMapping(options: InitOptions): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const input = resolve(cwd, options.file);
  const out = options.out === undefined ? undefined : resolve(cwd, options.out);
  if (out !== undefined && !options.force) {
    // Checked before reading the CSV: nothing is read or written when the answer is no.
    const exists = await access(out).then(
      () => true,
      () => false,
    );
    if (exists) throw new ConfigError(`${options.out} already exists`, 'choose another --out, or add --force to overwrite it');
  }
  const sample = await readSample(input, options.sampleRows ?? 500);
  const plan = planMapping(sample, { object: options.object, action: options.action });
  const schema = relative(out ? dirname(out) : cwd, SCHEMA_FILE).split('\\').join('/');
  const shownOut = options.out;
  const text = renderMapping(plan, { input: options.file, schema: schema.startsWith('.') ? schema : `./${schema}`, out: shownOut });

  const problems: string[] = [];
  try {
    const mapping = parseMapping(text, shownOut ?? `${options.object}s.yaml`);
    problems.push(...checkHeader(mapping, sample.header));
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    problems.push(...error.message.split('\n').slice(1));
  }
  if (out !== undefined) {
    try {
      await writeFile(out, text, { flag: options.force ? 'w' : 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ConfigError(`${options.out} already exists`, 'choose another --out, or add --force to overwrite it');
      throw new ConfigError(`cannot write ${options.out}: ${code ?? String(error)}`, 'give --out a path in a folder you can write to');
    }
  }
  return { text, out, plan, todos: countTodos(text), problems };
}
