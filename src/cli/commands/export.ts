import { maxItems, requestRate, wholeNumber } from '../arguments.js';
import { EXIT_INTERRUPTED } from './import.js';
import { onStopSignals } from '../signals.js';
import type { Register } from '../program.js';
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from '../connection.js';
import { ProgressDisplay } from '../progress.js';
import { EXPORT_OBJECTS, exportRecords, type ExportSummary } from '../../export/export-records.js';

interface ExportFlags extends ConnectionFlags {
  out: string;
  fromId?: number;
  toId?: number;
  createdFrom?: string;
  createdTo?: string;
  modifiedFrom?: string;
  modifiedTo?: string;
  state?: string;
  columns?: string[];
  mapping?: string;
  maxItems: number | 'auto';
  concurrency: number;
  rate?: number;
  bom?: boolean;
  rawDates?: boolean;
  includePassword?: boolean;
  escapeFormulas: boolean;
  timezone?: string;
  quiet?: boolean;
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');


function formatSummary(s: ExportSummary): string {
  const total = s.apiTotal === null ? '' : `, TOTAL ${s.apiTotal}${s.countMatches === false ? ` (MISMATCH: ${s.countedRecords} counted)` : ''}`;
  const hidden = s.hiddenRecords > 0 ? ` (${s.hiddenRecords} by deleted agents)` : '';
  const failed = s.failedRanges > 0 ? `, ${s.failedRanges} failed ranges${s.errorsFile ? ` (see ${s.errorsFile})` : ''}` : '';
  const cost = s.requestsPerRecord === null ? `${s.requests} requests` : `${s.requests} requests (${s.requestsPerRecord} per record)`;
  const cap = `max-items ${s.maxItems.value}${s.maxItems.source === 'given' ? '' : s.maxItems.source === 'learnt' ? ' (learnt)' : ' (at least)'}`;
  const lines = [`${s.object}: ${s.records} records${hidden} to ${s.out === '-' ? 'stdout' : s.out}${total}, ${cost}, ${s.bisections} bisections, ${cap}${failed}, ${s.elapsedMs} ms`];
  if (s.errorsFile && s.summaryFile) lines.push(`reports: ${[s.errorsFile, s.summaryFile, s.reportFile].filter((f) => f !== null).join(', ')}`);
  for (const f of s.failures) lines.push(`failed: ${f.query}: ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

export const registerExport: Register = (program, context) => {
  addConnectionOptions(
    program
      .command('export')
      .description('export every record of an object to CSV, walking id ranges and date windows')
      .argument('<object>', EXPORT_OBJECTS.join(', '))
      .requiredOption('--out <file.csv>', 'the CSV to write (errors and summary files go beside it); - writes the CSV to stdout')
      .option('--from-id <n>', 'first record id to export', wholeNumber('--from-id', 0))
      .option('--to-id <n>', 'last record id to export', wholeNumber('--to-id', 0))
      .option('--created-from <date>', 'created on or after this day (YYYY-MM-DD or MMDDYYYY)')
      .option('--created-to <date>', 'created before this day (exclusive)')
      .option('--modified-from <date>', 'last modified on or after this day')
      .option('--modified-to <date>', 'last modified before this day (exclusive)')
      .option('--state <file>', 'incremental: keep a bookmark per object here; later runs export what changed since')
      .option('--columns <list>', 'comma-separated columns to write, in this order (an unknown name is an error)', list)
      .option('--mapping <file.yaml>', "write an import mapping's legacy column names (export -> import round trip)")
      .option('--include-password', "write the customers' portal PASSWORD column (left out unless --columns names it)")
      .option('--max-items <n>', "the server's cap on ITEMs per GET reply: auto learns it from the replies", maxItems, 'auto')
      .option('--concurrency <n>', 'queries in flight (output order is kept)', wholeNumber('--concurrency', 1), 4)
      .option('--rate <n>', 'requests per second (default: unpaced)', requestRate)
      .option('--timezone <zone>', "the server's time zone (IANA, env WAPI_TIMEZONE, default UTC): ISO dates carry its offset")
      .option('--bom', 'start the CSV with a UTF-8 byte-order mark (for spreadsheets)')
      .option('--raw-dates', 'write dates as the API sends them (MMDDYYYY HH:MM:SS), not ISO 8601')
      .option('--no-escape-formulas', "write cells as they are (default: a leading ' before = + - @, as OWASP advises for spreadsheets)")
      .option('--quiet', 'no progress display'),
  ).action(async (object: string, flags: ExportFlags) => {
    const connection = resolveConnection(flags, process.env, (message) => context.stderr.write(`warning: ${message}\n`));
    const toStdout = flags.out === '-';
    const display = new ProgressDisplay({ stream: context.stderr, label: object, unit: 'records', quiet: flags.quiet === true });
    let started = false;
    // Ctrl-C or SIGTERM: stop the walk, leave no half-written file, keep the bookmark (exit 130).
    const stop = new AbortController();
    const dispose = onStopSignals(() => stop.abort(), { once: true });
    try {
      const summary = await exportRecords({
        object,
        out: flags.out,
        url: connection.url,
        credentials: connection.credentials,
        connection,
        fromId: flags.fromId,
        toId: flags.toId,
        createdFrom: flags.createdFrom,
        createdTo: flags.createdTo,
        modifiedFrom: flags.modifiedFrom,
        modifiedTo: flags.modifiedTo,
        state: flags.state,
        columns: flags.columns,
        mapping: flags.mapping,
        includePassword: flags.includePassword,
        maxItems: flags.maxItems,
        concurrency: flags.concurrency,
        rate: flags.rate,
        timezone: flags.timezone ?? process.env['WAPI_TIMEZONE'],
        bom: flags.bom,
        rawDates: flags.rawDates,
        escapeFormulas: flags.escapeFormulas,
        stdout: context.stdout as never,
        signal: stop.signal,
        logger: context.logger(),
        onProgress: (p) => {
          if (!started) {
            display.start();
            started = true;
          }
          display.update({ done: p.records, failed: p.failedRanges, requests: p.requests });
        },
      });
      display.stop();
      for (const warning of summary.warnings) context.stderr.write(`warning: ${warning}\n`);
      if (summary.countMatches === false) {
        context.stderr.write(`wapi-bulk: wrote ${summary.countedRecords} records the summary counts, but its TOTAL is ${summary.apiTotal}\n`);
      }
      // With the CSV on stdout, the summary goes to stderr.
      (toStdout ? context.stderr : context.stdout).write(formatSummary(summary));
      context.exitCode = summary.exitCode;
    } catch (error) {
      if (!stop.signal.aborted || (error as { code?: unknown }).code !== 'WAPI_ABORTED') throw error;
      display.stop();
      context.stderr.write(`wapi-bulk: export stopped by a signal: no CSV written${flags.state ? ', the bookmark did not move' : ''}\n`);
      context.exitCode = EXIT_INTERRUPTED;
    } finally {
      dispose();
      display.stop();
    }
  });
};
