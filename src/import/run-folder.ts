import { access, mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../protocol/errors.js';

/** `20261128-235501`: a run's start, UTC, as folder names sort. */
export function folderStamp(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
}

/**
 * The default report folder of a run: `wapi-bulk-out/<mapping>/<run>-<started>/`, one per run,
 * so a later validate, dry run or fix-up run never replaces a real import's reports (found in
 * review: the CRM ids of a real run were lost that way). `run` is the run id, or `dry-run` /
 * `validate` for runs the state file does not record.
 */
export async function defaultRunFolder(cwd: string, mapping: string, run: string | number, startedAt: Date): Promise<string> {
  const base = resolve(cwd, 'wapi-bulk-out');
  const dir = resolve(base, mapping, `${run}-${folderStamp(startedAt)}`);
  // A mapping name is checked when the mapping loads; this is the last guard against `..`.
  if (relative(base, dir).startsWith('..')) throw new ConfigError(`the mapping name "${mapping}" would put reports outside wapi-bulk-out`, 'give the mapping a plain name: letters, digits, "_", "-"');
  return claimFolder(dir);
}

/**
 * `dir`, made now, or `dir-2`, `dir-3`... when another run made it first: runs the state file
 * does not number (validate, dry runs, reconcile, undo) started within one second would
 * otherwise write over each other's reports. A folder that cannot be made is returned as it is:
 * prepareRunFolder says why.
 */
async function claimFolder(dir: string): Promise<string> {
  await mkdir(dirname(dir), { recursive: true }).catch(() => undefined);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? dir : `${dir}-${n}`;
    try {
      await mkdir(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return candidate;
    }
  }
}

const REPORT_FILES = ['summary.json', 'success.csv', 'errors.csv'];

/** The run id the reports in a folder belong to: a number, null for runs without one, undefined when there are none. */
async function reportsIn(dir: string): Promise<number | null | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  if (!REPORT_FILES.some((f) => names.includes(f))) return undefined;
  try {
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { runId?: unknown };
    return typeof summary.runId === 'number' ? summary.runId : null;
  } catch {
    return null;
  }
}

/**
 * An explicit --out that holds another run's reports is refused unless `overwrite` (a resumed
 * run may write over its own). Checked before the run is recorded in the state file.
 */
export async function checkExplicitOut(dir: string, options: { overwrite: boolean; runId: number | undefined }): Promise<void> {
  if (options.overwrite) return;
  const owner = await reportsIn(dir);
  if (owner !== undefined && !(options.runId !== undefined && owner === options.runId)) {
    throw new ConfigError(
      `--out ${dir} already holds the reports of ${owner === null ? 'another run' : `run ${owner}`}`,
      'give another --out, leave --out out (each run then gets a folder of its own), or add --overwrite',
    );
  }
}

/** Make the report folder and check its files can be written, before any request. */
export async function prepareRunFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir);
    const probe = join(dir, '.write-test');
    await (await open(probe, 'w')).close();
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`cannot write the reports in ${dir}: ${code}`, 'give --out a folder you can write to');
  }
}
