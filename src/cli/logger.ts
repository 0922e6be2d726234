import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they occur: the password and the API key never reach a log
 * line. (The client's own debug lines leave them out in the first place: wapi-client.ts.)
 */
export const REDACT_PATHS = [
  'password',
  'PASSWORD',
  '*.password',
  '*.PASSWORD',
  'credentials.password',
  '*.credentials.password',
  'apiKey',
  '*.apiKey',
  'credentials.apiKey',
  '*.credentials.apiKey',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

/** pino's redaction of those paths, for every logger the CLI makes. */
const REDACT = { paths: REDACT_PATHS, censor: '[redacted]' };

const LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };
/** Fields worth a person's eye after the message, when a line carries them. */
const SHOWN = ['code', 'object', 'action', 'query', 'httpStatus', 'status', 'errorCode', 'items', 'ms', 'retry', 'tags'];
/** Lines with the same message closer together than this are one burst: printed once, then counted. */
const BURST_MS = 5_000;

/**
 * pino's JSON lines as lines for people on stderr: `warning: the connection ... failed (code
 * WAPI_CONNECTION_RESET)`. A burst of the same message (every request of a retry storm logging
 * the same failure) is one line, then `(the same N more times)` when the burst ends (found in
 * review: stderr filled with JSON, a line per retried request).
 */
export class HumanLogLines implements DestinationStream {
  private last: { key: string; at: number; repeats: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly now: () => number = Date.now,
  ) {}

  write(line: string): void {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.out.write(line.endsWith('\n') ? line : `${line}\n`);
      return;
    }
    const label = LABELS[Number(entry['level'])] ?? 'log';
    const message = typeof entry['msg'] === 'string' ? entry['msg'] : '';
    const key = `${label}\u0000${message}`;
    const at = this.now();
    if (this.last && this.last.key === key && at - this.last.at < BURST_MS) {
      this.last.repeats++;
      this.last.at = at;
      this.arm();
      return;
    }
    this.endBurst();
    const details = SHOWN.filter((k) => entry[k] !== undefined)
      .map((k) => `${k} ${typeof entry[k] === 'string' ? (entry[k] as string) : JSON.stringify(entry[k])}`)
      .join(', ');
    const err = entry['err'] as { message?: unknown } | undefined;
    const cause = err && typeof err.message === 'string' ? `: ${err.message}` : '';
    this.out.write(`${label}: ${message}${cause}${details ? ` (${details})` : ''}\n`);
    this.last = { key, at, repeats: 0 };
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.endBurst(), BURST_MS);
    this.timer.unref();
  }

  /** Say how often the last message repeated; called when another comes, after a pause, at the end. */
  endBurst(): void {
    if (this.last && this.last.repeats > 0) this.out.write(`  (the same ${this.last.repeats} more time${this.last.repeats === 1 ? '' : 's'})\n`);
    if (this.last) this.last.repeats = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** A JSON logger on a stream, redacted: for programs that embed wapi-bulk (and tests). */
export function createJsonLogger(level = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined, redact: REDACT }, destination as never);
}

export interface LoggerOptions {
  /** The level of the lines for people on stderr (default warn). */
  readonly level?: string;
  readonly stderr?: NodeJS.WritableStream;
  /** A file for the JSON log (`--log-file`), at `level` or info, whichever says more. */
  readonly logFile?: string | undefined;
}

const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const lower = (a: string, b: string): string => (LEVELS.indexOf(a as Level) <= LEVELS.indexOf(b as Level) ? a : b);

/**
 * The CLI's logger: lines for people on stderr (stdout stays for data and the emulator's ready
 * line), and with `--log-file` the JSON log too, both redacted.
 */
export function createLogger(options: LoggerOptions = {}): { logger: Logger; flush: () => void } {
  const level = options.level ?? 'warn';
  const human = new HumanLogLines(options.stderr ?? process.stderr);
  const streams: pino.StreamEntry[] = [{ level: level as Level, stream: human }];
  let fileLevel = level;
  if (options.logFile !== undefined) {
    fileLevel = lower(level, 'info');
    streams.push({ level: fileLevel as Level, stream: pino.destination({ dest: options.logFile, mkdir: true, sync: true, mode: 0o600 } as never) });
  }
  const logger = pino({ level: lower(level, fileLevel), base: undefined, redact: REDACT }, pino.multistream(streams));
  return { logger, flush: () => human.endBurst() };
}
