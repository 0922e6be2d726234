import { basename } from 'node:path';
import type { Command } from 'commander';
import { ProgressDisplay } from '../progress.js';
import { requestRate, wholeNumber } from '../arguments.js';
import { onStopSignals } from '../signals.js';
import type { Register, CliContext } from '../program.js';
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from '../connection.js';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_ERRORS, importCsv, stoppedRunOf, type ImportProgress, type ImportSummary } from '../../import/import-csv.js';
import { DEFAULT_STATE_FILE } from '../../state/state-store.js';
import { formatErrorGroups } from '../../report/error-digest.js';

/** Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export interface ImportFlags extends ConnectionFlags {
  mapping: string;
  out?: string;
  overwrite?: boolean;
  state?: string;
  concurrency: number;
  rate?: number;
  dryRun?: boolean;
  resume?: boolean;
  forceAdd?: boolean;
  limit?: number;
  maxErrors: number;
  quiet?: boolean;
  timezone?: string;
  escapeFormulas: boolean;
}

/** What the options shared by validate and import do: the same flag, a different job. */
interface SharedOptionTexts {
  state: string;
  concurrency: string;
  limit: string;
}

const VALIDATE_TEXTS: SharedOptionTexts = {
  state: `state file, read to predict skips and references (default: ${DEFAULT_STATE_FILE})`,
  concurrency: 'look-ups in flight (with a server)',
  limit: 'check the first N rows only',
};

const IMPORT_TEXTS: SharedOptionTexts = {
  state: `state file: id map, run journal for --resume, before-images for undo (default: ${DEFAULT_STATE_FILE}, shared by every mapping)`,
  concurrency: 'requests in flight (the pace adapts below it when the server pushes back)',
  limit: 'import the first N rows only',
};

function addSharedOptions(command: Command, texts: SharedOptionTexts): Command {
  return addConnectionOptions(
    command
      .requiredOption('--mapping <file.yaml>', 'the column mapping')
      .option('--out <dir>', 'folder for success.csv, errors.csv and summary.json (default: a new folder per run under wapi-bulk-out/<mapping name>/)')
      .option('--overwrite', 'let --out replace the reports of another run')
      .option('--state <file>', texts.state)
      .option('--concurrency <n>', texts.concurrency, wholeNumber('--concurrency', 1), DEFAULT_CONCURRENCY)
      .option('--limit <n>', texts.limit, wholeNumber('--limit', 0))
      .option('--no-escape-formulas', "write report cells as they are (default: a leading ' before = + - @, as OWASP advises for spreadsheets)")
      .option('--timezone <zone>', "the server's time zone (IANA, env WAPI_TIMEZONE, default UTC) for date conversions; a mapping's timezone: must agree")
      .option('--quiet', 'no progress display (warnings and the summary still print)'),
  );
}

/** The options `validate` takes: what it uses, nothing more. */
export function addValidateOptions(command: Command): Command {
  return addSharedOptions(command, VALIDATE_TEXTS);
}

/** The options of `import`: validate's, and what only a real run needs. */
export function addImportOptions(command: Command): Command {
  return addSharedOptions(command, IMPORT_TEXTS)
    .option('--rate <n>', 'requests per second across the pool (default: unpaced)', requestRate)
    .option('--dry-run', 'read the tenant and report what would be added, modified or rejected; write nothing')
    .option('--resume', 'continue the last run of this mapping on this file: no row sent twice, none skipped')
    .option('--force-add', 'add rows whose key an earlier run already added (normally reported as skipped)')
    .option('--max-errors <n>', `stop (resumable) after N rows in a row fail with the same error; 0: never`, wholeNumber('--max-errors', 0), DEFAULT_MAX_ERRORS);
}

function formatSummary(s: ImportSummary): string {
  const verb = s.mode === 'import' ? '' : s.mode === 'dry-run' ? ' (dry run: nothing written)' : ' (offline: mapping and catalogue checks only)';
  const skipped = `${s.skipped > 0 ? `, ${s.skipped} skipped` : ''}${s.deleted > 0 ? `, ${s.deleted} deleted` : ''}`;
  const pending = s.pending > 0 ? `, ${s.pending} not processed` : '';
  const lines = [
    `${s.mapping}: ${s.rows} rows, ${s.succeeded} succeeded (${s.added} added, ${s.modified} modified, ${s.unchanged} unchanged${skipped}), ${s.failed} failed${pending}${verb}`,
  ];
  if (s.status !== 'completed') lines.push(`stopped: ${s.stopReason ?? 'interrupted'}${s.runId !== undefined ? ' (run the same command with --resume to continue)' : ''}`);
  lines.push(`reports: ${s.outDir}${s.runId !== undefined ? ` (run ${s.runId})` : ''}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Ctrl-C and SIGTERM stop a run gracefully: no new row starts, the requests already sent finish
 * and are recorded (found in review: rows cut off mid-request became "may have been added", and
 * most of them had landed). A second signal cancels the requests in flight; --resume settles
 * their rows.
 */
function signals(context: CliContext): { stop: AbortSignal; kill: AbortSignal; dispose: () => void } {
  const stop = new AbortController();
  const kill = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) {
      context.stderr.write(`wapi-bulk: ${signal}: finishing the requests in flight, then stopping (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to cancel them)\n`);
      stop.abort();
    } else kill.abort();
  };
  return { stop: stop.signal, kill: kill.signal, dispose: onStopSignals(handler) };
}

/** Run an import (or validation) for a command's flags; sets context.exitCode. */
export async function runImport(
  file: string,
  flags: ImportFlags,
  context: CliContext,
  mode: { offline: boolean; dryRun: boolean },
): Promise<void> {
  const connection = mode.offline ? undefined : resolveConnection(flags, process.env, (message) => context.stderr.write(`warning: ${message}\n`));
  const { stop, kill, dispose } = signals(context);
  const display = new ProgressDisplay({ stream: context.stderr, label: basename(file), unit: 'rows', quiet: flags.quiet });
  let started = false;
  const onProgress = (p: ImportProgress) => {
    if (!started) {
      display.start(p.total);
      started = true;
    }
    display.update({ done: p.rows, failed: p.failed, requests: p.requests });
  };
  try {
    const summary = await importCsv({
      file,
      mapping: flags.mapping,
      out: flags.out,
      overwrite: flags.overwrite,
      state: flags.state,
      connection,
      dryRun: mode.dryRun,
      resume: flags.resume,
      forceAdd: flags.forceAdd,
      limit: flags.limit,
      concurrency: flags.concurrency,
      rate: flags.rate,
      maxErrors: flags.maxErrors,
      timezone: flags.timezone ?? (process.env['WAPI_TIMEZONE'] || undefined),
      escapeFormulas: flags.escapeFormulas,
      signal: stop,
      killSignal: kill,
      logger: context.logger(),
      onWarning: (message) => context.stderr.write(`warning: ${message}\n`),
      onProgress,
    });
    if (started) display.stop();
    context.stderr.write(formatErrorGroups(summary.errorGroups, summary.errorsNotGrouped));
    context.stdout.write(formatSummary(summary));
    context.exitCode = summary.exitCode;
  } catch (error) {
    const stopped = stoppedRunOf(error);
    // Worth a line when the run got somewhere or can be resumed; the error says the rest.
    if (stopped !== undefined && (stopped.runId !== undefined || stopped.rows > stopped.pending)) {
      if (started) display.stop();
      const done = stopped.rows - stopped.pending;
      const resume = stopped.runId !== undefined ? '; fix the error below, then run the same command with --resume to continue' : '';
      context.stderr.write(`${stopped.mapping}: stopped after ${done} of ${stopped.rows} rows (${stopped.succeeded} succeeded, ${stopped.failed} failed); reports: ${stopped.outDir}${resume}\n`);
    }
    throw error;
  } finally {
    if (started) display.stop();
    dispose();
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
