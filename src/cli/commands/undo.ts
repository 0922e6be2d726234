import { wholeNumber } from '../arguments.js';
import { onStopSignals } from '../signals.js';
import type { Register } from '../program.js';
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from '../connection.js';
import { ProgressDisplay } from '../progress.js';
import { DEFAULT_STATE_FILE } from '../../state/state-store.js';
import { undoRuns, type UndoSummary } from '../../undo/undo-run.js';

interface UndoFlags extends ConnectionFlags {
  run?: number[];
  state?: string;
  out?: string;
  overwrite?: boolean;
  dryRun?: boolean;
  force?: boolean;
  concurrency: number;
  quiet?: boolean;
  escapeFormulas: boolean;
}

const runId = wholeNumber('--run', 1);

function formatSummary(s: UndoSummary): string {
  const verb = s.mode === 'dry-run' ? ' (dry run: nothing changed)' : '';
  const lines = [
    `undo of run${s.targets.length === 1 ? '' : 's'} ${s.targets.join(', ')}: ${s.rows} rows, ${s.undone} undone (${s.deleted} deleted, ${s.restored} restored, ${s.gone} already gone), ${s.refused} refused, ${s.failed} failed${s.pending > 0 ? `, ${s.pending} not reached` : ''}${verb}`,
  ];
  if (s.refused + s.failed > 0 && s.mode === 'undo') lines.push('run undo again to continue with what is left (--force takes back records changed since the run)');
  lines.push(`reports: ${s.outDir}`);
  return `${lines.join('\n')}\n`;
}

export const registerUndo: Register = (program, context) => {
  addConnectionOptions(
    program
      .command('undo')
      .description('take an import run back: delete what it added, restore what it modified (from the before-images in the state file)')
      .option('--run <id>', 'the run to undo (repeat for several; default: the latest import run not fully undone)', (v: string, all: number[] = []) => [...all, runId(v)])
      .option('--state <file>', `the state file (default: ${DEFAULT_STATE_FILE})`)
      .option('--out <dir>', 'folder for success.csv, errors.csv, summary.json and report.html (default: a new folder under wapi-bulk-out/<mapping>/)')
      .option('--overwrite', 'let --out replace the reports of another run')
      .option('--dry-run', 'say what would be deleted and restored; change nothing')
      .option('--force', 'also take back records changed in the CRM since the run, and records with children the run did not add')
      .option('--concurrency <n>', 'requests in flight', wholeNumber('--concurrency', 1), 4)
      .option('--no-escape-formulas', "write report cells as they are (default: a leading ' before = + - @)")
      .option('--quiet', 'no progress display'),
  ).action(async (flags: UndoFlags) => {
    const connection = resolveConnection(flags, process.env, (message) => context.stderr.write(`warning: ${message}\n`));
    const display = new ProgressDisplay({ stream: context.stderr, label: 'undo', unit: 'rows', quiet: flags.quiet === true });
    const stop = new AbortController();
    const dispose = onStopSignals(() => stop.abort(), { once: true });
    let started = false;
    try {
      const summary = await undoRuns({
        runs: flags.run,
        connection,
        state: flags.state,
        out: flags.out,
        overwrite: flags.overwrite,
        dryRun: flags.dryRun,
        force: flags.force,
        concurrency: flags.concurrency,
        escapeFormulas: flags.escapeFormulas,
        signal: stop.signal,
        logger: context.logger(),
        onWarning: (message) => context.stderr.write(`warning: ${message}\n`),
        onProgress: (done, total, failed) => {
          if (!started) {
            display.start(total);
            started = true;
          }
          display.update({ done, failed });
        },
      });
      display.stop();
      context.stdout.write(formatSummary(summary));
      context.exitCode = summary.exitCode;
    } finally {
      display.stop();
      dispose();
    }
  });
};
