import type { Command } from 'commander';
import { requestRate, wholeNumber } from '../arguments.js';
import type { Register, CliContext } from '../program.js';
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from '../connection.js';
import { EXIT_OK, EXIT_PARTIAL } from '../exit.js';
import { isWapiBulkError } from '../../protocol/errors.js';
import { DEFAULT_CONCURRENCY, importCsv, type ImportProgress, type ImportSummary } from '../../import/import-csv.js';
import { DEFAULT_STATE_FILE } from '../../state/state-store.js';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export interface ImportFlags extends ConnectionFlags {
  mapping: string;
  out?: string;
  state?: string;
  concurrency: number;
  rate?: number;
  dryRun?: boolean;
  resume?: boolean;
  limit?: number;
  progress?: boolean;
}

/** The options `import` and `validate` share. */
export function addImportOptions(command: Command): Command {
  return addConnectionOptions(
    command
      .requiredOption('--mapping <file.yaml>', 'the column mapping')
      .option('--out <dir>', 'folder for success.csv, errors.csv and summary.json (default: wapi-bulk-out/<mapping name>)')
      .option('--state <file>', `state file: id map, journal for --resume (default: ${DEFAULT_STATE_FILE}, shared by every mapping)`)
      .option('--concurrency <n>', 'requests in flight', wholeNumber('--concurrency', 1), DEFAULT_CONCURRENCY)
      .option('--rate <n>', 'requests per second across the pool (default: unpaced)', requestRate)
      .option('--dry-run', 'read the tenant and report what would be added, modified or rejected; write nothing')
      .option('--resume', 'continue the last run of this mapping on this file: no row sent twice, none skipped')
      .option('--limit <n>', 'import the first N rows only', wholeNumber('--limit', 0))
      .option('--progress', 'print a progress line every few seconds even when stderr is not a terminal'),
  );
}

function formatProgress(name: string, p: ImportProgress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(p.rows / seconds) : 0;
  const of = p.total !== undefined ? `/${p.total}` : '';
  return `${name}: ${p.rows}${of} rows, ${rate} rows/s, ${p.succeeded} ok, ${p.failed} failed\n`;
}

function formatSummary(s: ImportSummary): string {
  const verb = s.mode === 'import' ? '' : s.mode === 'dry-run' ? ' (dry run: nothing written)' : ' (offline: mapping and catalogue checks only)';
  const lines = [
    `${s.mapping}: ${s.rows} rows, ${s.succeeded} succeeded (${s.added} added, ${s.modified} modified, ${s.unchanged} unchanged), ${s.failed} failed${verb}`,
    `reports: ${s.files.success}, ${s.files.errors}, ${s.files.summary}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Run an import (or validation) for a command's flags; sets context.exitCode. */
export async function runImport(
  file: string,
  flags: ImportFlags,
  context: CliContext,
  mode: { offline: boolean; dryRun: boolean },
): Promise<void> {
  const connection = mode.offline ? undefined : resolveConnection(flags, process.env, (message) => context.stderr.write(`warning: ${message}\n`));
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const tty = (context.stderr as NodeJS.WriteStream).isTTY === true;
  try {
    const summary = await importCsv({
      file,
      mapping: flags.mapping,
      out: flags.out,
      state: flags.state,
      connection,
      dryRun: mode.dryRun,
      resume: flags.resume,
      limit: flags.limit,
      concurrency: flags.concurrency,
      rate: flags.rate,
      signal: controller.signal,
      logger: context.logger(),
      onWarning: (message) => context.stderr.write(`warning: ${message}\n`),
      onProgress: tty || flags.progress ? (p) => context.stderr.write(formatProgress(file, p)) : undefined,
    });
    context.stdout.write(formatSummary(summary));
    context.exitCode = summary.failed > 0 ? EXIT_PARTIAL : EXIT_OK;
  } catch (error) {
    if (isWapiBulkError(error) && error.code === 'WAPI_ABORTED' && controller.signal.aborted) {
      context.stderr.write(`wapi-bulk: ${error.message}${error.hint ? ` (${error.hint})` : ''}\n`);
      context.exitCode = EXIT_INTERRUPTED;
      return;
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

export const registerImport: Register = (program, context) => {
  addImportOptions(
    program
      .command('import')
      .description('import a CSV through a YAML mapping: Add, Modify or Upsert, with success and error files')
      .argument('<file.csv>', 'the CSV to import'),
  ).action(async (file: string, flags: ImportFlags) => {
    await runImport(file, flags, context, { offline: false, dryRun: flags.dryRun === true });
  });
};
