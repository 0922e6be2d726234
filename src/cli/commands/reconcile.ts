import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { maxItems, requestRate, wholeNumber } from '../arguments.js';
import type { Register } from '../program.js';
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from '../connection.js';
import { ProgressDisplay } from '../progress.js';
import { DEFAULT_STATE_FILE } from '../../state/state-store.js';
import { DEFAULT_RECONCILE_CONCURRENCY, reconcile, type ReconcileProgress } from '../../reconcile/reconcile.js';
import type { ReconcileSummary } from '../../reconcile/reconcile-summary.js';

interface ReconcileFlags extends ConnectionFlags {
  mapping: string;
  out?: string;
  overwrite?: boolean;
  state?: string;
  strategy: 'auto' | 'walk' | 'lookup';
  maxItems: number | 'auto';
  concurrency: number;
  rate?: number;
  timezone?: string;
  escapeFormulas: boolean;
  quiet?: boolean;
}

function strategy(text: string): 'auto' | 'walk' | 'lookup' {
  const value = text.trim().toLowerCase();
  if (value === 'auto' || value === 'walk' || value === 'lookup') return value;
  throw new InvalidArgumentError('--strategy takes auto, walk or lookup');
}


function formatSummary(s: ReconcileSummary): string {
  const extra = s.extra === null ? 'extra not looked for' : `${s.extra} extra`;
  const fields = s.differentFields === s.different ? '' : ` (${s.differentFields} fields)`;
  const verdict = s.exitCode === 0 ? 'source and CRM agree' : s.status === 'incomplete' ? 'the CRM side may be incomplete' : 'they differ';
  return [
    `${s.mapping}: ${s.sourceRows} rows: ${s.same} same, ${s.missing} missing, ${s.different} different${fields}, ${extra}, ${s.invalid} invalid: ${verdict}`,
    `strategy ${s.strategy} (${s.strategyReason}), ${s.crmRecords} CRM records read, ${s.requests} requests, ${s.elapsedMs} ms`,
    `reports: ${s.outDir}`,
    '',
  ].join('\n');
}

const PHASE_LABEL: Record<ReconcileProgress['phase'], string> = { read: 'reading', 'look-up': 'looking up', compare: 'comparing' };

export const registerReconcile: Register = (program, context) => {
  addConnectionOptions(
    program
      .command('reconcile')
      .description('compare a CSV, read through its mapping, with what the CRM holds: missing, different and extra records, and a repair file')
      .argument('<source.csv>', 'the CSV that was imported')
      .requiredOption('--mapping <file.yaml>', 'the mapping it was imported with')
      .option('--out <dir>', 'folder for missing.csv, different.csv, extra.csv, repair.csv, invalid.csv, summary.json (default: a new folder per run under wapi-bulk-out/<mapping name>/)')
      .option('--overwrite', 'let --out replace the reports of another run')
      .option('--state <file>', `the state file whose id map the import filled (default: ${DEFAULT_STATE_FILE})`)
      .option('--strategy <s>', 'auto: by estimated requests; walk: read the whole object; lookup: fetch each row\'s record', strategy, 'auto')
      .option('--max-items <n>', "the server's cap on ITEMs per GET reply: auto learns it", maxItems, 'auto')
      .option('--concurrency <n>', 'queries in flight', wholeNumber('--concurrency', 1), DEFAULT_RECONCILE_CONCURRENCY)
      .option('--rate <n>', 'requests per second (default: unpaced)', requestRate)
      .option('--timezone <zone>', "the server's time zone (IANA, env WAPI_TIMEZONE, default UTC) for date conversions, as in import")
      .option('--no-escape-formulas', "write cells as they are (default: a leading ' before = + - @, as OWASP advises for spreadsheets)")
      .option('--quiet', 'no progress display (warnings and the summary still print)'),
  ).action(async (file: string, flags: ReconcileFlags) => {
    const connection = resolveConnection(flags, process.env, (message) => context.stderr.write(`warning: ${message}\n`));
    let display: ProgressDisplay | undefined;
    let phase: ReconcileProgress['phase'] | undefined;
    const onProgress = (p: ReconcileProgress) => {
      if (p.phase !== phase) {
        display?.stop();
        phase = p.phase;
        display = new ProgressDisplay({ stream: context.stderr, label: `${basename(file)} (${PHASE_LABEL[p.phase]})`, unit: 'rows', quiet: flags.quiet === true });
        display.start(p.total);
      }
      display?.update({ done: p.rows, failed: p.differing, requests: p.requests });
    };
    try {
      const summary = await reconcile({
        file,
        mapping: flags.mapping,
        connection,
        out: flags.out,
        overwrite: flags.overwrite,
        state: flags.state,
        strategy: flags.strategy,
        maxItems: flags.maxItems,
        concurrency: flags.concurrency,
        rate: flags.rate,
        timezone: flags.timezone ?? (process.env['WAPI_TIMEZONE'] || undefined),
        escapeFormulas: flags.escapeFormulas,
        logger: context.logger(),
        onWarning: (message) => context.stderr.write(`warning: ${message}\n`),
        onProgress,
      });
      display?.stop();
      context.stdout.write(formatSummary(summary));
      context.exitCode = summary.exitCode;
    } finally {
      display?.stop();
    }
  });
};
