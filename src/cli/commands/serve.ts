import { InvalidArgumentError } from 'commander';
import { wholeNumber } from '../arguments.js';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TENANT_CONFIG, startEmulator, type ReplyStyle } from '../../emulator/index.js';
import { parseLatency } from '../../emulator/faults.js';
import { onStopSignals } from '../signals.js';
import type { Register } from '../program.js';

function probability(text: string): number {
  const n = Number(text);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('takes a probability from 0 to 1');
  return n;
}

function latency(text: string) {
  try {
    return parseLatency(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function replyStyle(text: string): ReplyStyle {
  if (text !== 'guide' && text !== 'live') throw new InvalidArgumentError('takes guide or live');
  return text;
}

interface ServeFlags {
  host: string;
  port: number;
  db: string;
  tenantConfig: string;
  maxItems: number;
  fixtures?: string;
  latency?: number | [number, number];
  failRate?: number;
  failAfterCommitRate?: number;
  resetRate?: number;
  rateLimit?: number;
  seed?: number;
  replyStyle: ReplyStyle;
  timezone: string;
  faultScript?: string;
  maxConnections: number;
  requestTimeout: number;
}

export const registerServe: Register = (program, context) => {
  program
    .command('serve')
    .description('run the Local CRM emulator: a faithful CRM API server backed by SQLite')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', wholeNumber('--port', 0, 65535), 8088)
    .option('--db <file>', 'SQLite file that survives a restart, or :memory:', ':memory:')
    .option('--tenant-config <file>', 'tenant configuration YAML', DEFAULT_TENANT_CONFIG)
    .option('--max-items <n>', 'most ITEMs in one GET reply', wholeNumber('--max-items', 1), 1000)
    .option('--fixtures <file>', 'YAML/JSON records to load with their own ids and dates')
    .option('--latency <ms>', 'added latency per request: MS or MIN-MAX (uniform jitter)', latency)
    .option('--fail-rate <p>', 'probability of HTTP 500 before the command runs', probability)
    .option('--fail-after-commit-rate <p>', 'probability the command is applied, then the reply lost', probability)
    .option('--reset-rate <p>', 'probability of a TCP reset instead of a reply', probability)
    .option('--rate-limit <n>', 'more than N requests in a second get HTTP 429', wholeNumber('--rate-limit', 1))
    .option('--seed <n>', 'seed of the fault generator, for repeatable runs', wholeNumber('--seed', 0))
    .option('--fault-script <file>', 'YAML/JSON list of faults by position: { object, action, nth, when: before|after, fault }')
    .option('--reply-style <style>', 'GET replies on /WAPI/wapi.php as the guide prints them (guide) or as live tenants send them (live)', replyStyle, 'guide')
    .option('--timezone <zone>', "the server clock's IANA time zone: reply timestamps and day filters", 'UTC')
    .option('--max-connections <n>', 'most connections open at once', wholeNumber('--max-connections', 1), DEFAULT_MAX_CONNECTIONS)
    .option('--request-timeout <ms>', 'most time a request may take to arrive (then HTTP 408)', wholeNumber('--request-timeout', 1), DEFAULT_REQUEST_TIMEOUT_MS)
    .action(async (flags: ServeFlags) => {
      const { requestTimeout, ...rest } = flags;
      const emulator = await startEmulator({ ...rest, requestTimeoutMs: requestTimeout, logger: context.logger() });
      // The handlers go in before the ready line: a supervisor may signal the moment it sees it.
      const stopped = new Promise<void>((resolve) => {
        const dispose = onStopSignals(() => {
          dispose();
          void emulator.close().then(resolve);
        });
      });
      context.stdout.write(`wapi-bulk emulator listening on ${emulator.url}\n`);
      await stopped;
    });
};
