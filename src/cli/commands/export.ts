import { requestRate, wholeNumber } from '../arguments.js';
import type { Register } from '../program.js';
import { addConnectionOptions, resolveConnection, type ConnectionFlags } from '../connection.js';
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
  maxItems: number;
  concurrency: number;
  rate?: number;
  bom?: boolean;
  rawDates?: boolean;
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function formatSummary(s: ExportSummary): string {
  const total = s.apiTotal === null ? '' : `, TOTAL ${s.apiTotal}${s.countMatches === false ? ` (MISMATCH: ${s.countedRecords} counted)` : ''}`;
  const hidden = s.hiddenRecords > 0 ? ` (${s.hiddenRecords} by deleted agents)` : '';
  const failed = s.failedRanges > 0 ? `, ${s.failedRanges} failed ranges (see ${s.errorsFile})` : '';
  return [
    `${s.object}: ${s.records} records${hidden} to ${s.out}${total}, ${s.requests} requests (${s.requestsPerRecord} per record), ${s.bisections} bisections${failed}, ${s.elapsedMs} ms`,
    `reports: ${s.errorsFile}, ${s.summaryFile}`,
  ].join('\n') + '\n';
}

export const registerExport: Register = (program, context) => {
  addConnectionOptions(
    program
      .command('export')
      .description('export every record of an object to CSV, walking id ranges and date windows')
      .argument('<object>', EXPORT_OBJECTS.join(', '))
      .requiredOption('--out <file.csv>', 'the CSV to write (errors and summary files go beside it)')
      .option('--from-id <n>', 'first record id to export', wholeNumber('--from-id', 0))
      .option('--to-id <n>', 'last record id to export', wholeNumber('--to-id', 0))
      .option('--created-from <date>', 'created on or after this day (YYYY-MM-DD or MMDDYYYY)')
      .option('--created-to <date>', 'created before this day (exclusive)')
      .option('--modified-from <date>', 'last modified on or after this day')
      .option('--modified-to <date>', 'last modified before this day (exclusive)')
      .option('--state <file>', 'incremental: keep a bookmark per object here; later runs export what changed since')
      .option('--columns <list>', 'comma-separated columns to write, in this order', list)
      .option('--mapping <file.yaml>', "write an import mapping's legacy column names (export -> import round trip)")
      .option('--max-items <n>', "the server's cap on ITEMs per GET reply; must not exceed it", wholeNumber('--max-items', 1), 1000)
      .option('--concurrency <n>', 'queries in flight (output order is kept)', wholeNumber('--concurrency', 1), 4)
      .option('--rate <n>', 'requests per second (default: unpaced)', requestRate)
      .option('--bom', 'start the CSV with a UTF-8 byte-order mark (for spreadsheets)')
      .option('--raw-dates', 'write dates as the API sends them (MMDDYYYY HH:MM:SS), not ISO 8601'),
  ).action(async (object: string, flags: ExportFlags) => {
    const connection = resolveConnection(flags, process.env, (message) => context.stderr.write(`warning: ${message}\n`));
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
      maxItems: flags.maxItems,
      concurrency: flags.concurrency,
      rate: flags.rate,
      bom: flags.bom,
      rawDates: flags.rawDates,
      logger: context.logger(),
    });
    for (const warning of summary.warnings) context.stderr.write(`warning: ${warning}\n`);
    if (summary.countMatches === false) {
      context.stderr.write(`wapi-bulk: wrote ${summary.countedRecords} records the summary counts, but its TOTAL is ${summary.apiTotal}\n`);
    }
    context.stdout.write(formatSummary(summary));
    context.exitCode = summary.exitCode;
  });
};
