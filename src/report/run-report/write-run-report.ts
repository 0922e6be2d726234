import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRunReport } from './render-run-report.js';
import type { RunReport } from './run-report.js';

/**
 * Write report.html into `dir` (beside the run's CSVs) and return its path. Written to a
 * temporary name and renamed, so a reader never opens half a page.
 */
export async function writeRunReport(dir: string, report: RunReport, name = 'report.html'): Promise<string> {
  const file = join(dir, name);
  const partial = `${file}.partial`;
  // It shows customer data (failed rows' values): readable by its owner only, like the CSVs.
  await writeFile(partial, renderRunReport(report), { encoding: 'utf8', mode: 0o600 });
  await rename(partial, file);
  return file;
}
