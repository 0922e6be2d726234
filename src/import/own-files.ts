import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { outputPaths } from '../export/output-paths.js';

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Whether a CSV is one this tool wrote with formula escaping (report/formulas.ts): an export,
 * whose FILE.summary.json beside it names it, or a run's success.csv or errors.csv, whose
 * summary.json sits in the same folder, or a reconcile's missing, repair and invalid files. Reading such a file back takes the `'` prefix off again,
 * so a round trip does not gain quotes; any other file is read as it is.
 */
export async function writtenWithEscapedFormulas(file: string): Promise<boolean> {
  const path = resolve(file);
  const exported = await readJson(outputPaths(path).summary);
  if (exported?.['escapedFormulas'] === true && typeof exported['out'] === 'string' && resolve(exported['out']) === path) return true;
  const name = basename(path);
  // An import's success.csv and errors.csv, a reconcile's missing.csv, repair.csv and invalid.csv.
  if (!['success.csv', 'errors.csv', 'missing.csv', 'repair.csv', 'invalid.csv'].includes(name)) return false;
  const run = await readJson(join(dirname(path), 'summary.json'));
  return run?.['escapedFormulas'] === true;
}
