/**
 * The progress display of import, export, reconcile and undo, on stderr. On a terminal, a bar
 * (cli-progress) with done/total, rate, ETA, failures so far and the concurrency in use; when
 * stderr is a file or a pipe, a plain line every few seconds (a CI log stays readable and a
 * stall still shows); nothing with `quiet`. Colour only on a terminal, and never with NO_COLOR
 * (https://no-color.org).
 */
import { SingleBar } from 'cli-progress';

export interface ProgressUpdate {
  /** Rows (records) finished so far, failed ones included. */
  readonly done: number;
  readonly failed: number;
  readonly requests?: number;
  /** Requests in flight, or the pool's current size. */
  readonly concurrency?: number;
}

export interface ProgressOptions {
  readonly stream: NodeJS.WritableStream;
  /** What is in progress: the input file's name, or the object exported. */
  readonly label: string;
  /** `rows` (import, reconcile) or `records` (export, undo). */
  readonly unit?: string;
  readonly quiet?: boolean;
  /** Default: whether the stream is a terminal. */
  readonly tty?: boolean;
  /** Default: on a terminal, unless NO_COLOR is set in `env`. */
  readonly color?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Plain mode: a line every this many ms (default 5 s). */
  readonly intervalMs?: number;
  /** Milliseconds, any origin; injected by tests. */
  readonly now?: () => number;
  /** The rate is measured over this last window (default 10 s), so it follows changes. */
  readonly rateWindowMs?: number;
}

const RED = '\x1b[31m';
const RESET = '\x1b[0m';

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Seconds as `45s`, `3m 05s`, `2h 10m`. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class ProgressDisplay {
  private readonly stream: NodeJS.WritableStream;
  private readonly label: string;
  private readonly unit: string;
  private readonly quiet: boolean;
  private readonly tty: boolean;
  private readonly color: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly windowMs: number;
  private total: number | undefined;
  private state: ProgressUpdate = { done: 0, failed: 0 };
  private startedAt = 0;
  /** (time, done) pairs of the last window, oldest first: bounded by the window's length. */
  private readonly history: Array<[number, number]> = [];
  private bar: SingleBar | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(options: ProgressOptions) {
    this.stream = options.stream;
    this.label = options.label;
    this.unit = options.unit ?? 'rows';
    this.quiet = options.quiet === true;
    this.tty = options.tty ?? (options.stream as NodeJS.WriteStream).isTTY === true;
    const env = options.env ?? process.env;
    this.color = options.color ?? (this.tty && (env['NO_COLOR'] ?? '') === '');
    this.intervalMs = Math.max(1, options.intervalMs ?? 5000);
    this.now = options.now ?? (() => performance.now());
    this.windowMs = Math.max(1, options.rateWindowMs ?? 10_000);
  }

  start(total?: number): void {
    if (this.quiet || this.running) return;
    this.running = true;
    this.total = total;
    this.startedAt = this.now();
    this.history.length = 0;
    this.history.push([this.startedAt, 0]);
    if (this.tty) {
      const counts = total === undefined ? '{done} {unit}' : '{bar} {done}/{totalText} {unit} ({percentage}%)';
      this.bar = new SingleBar({
        stream: this.stream,
        format: `{label} ${counts} | {rate} {unit}/s | ETA {etaText} | {failedText} | {concurrencyText}`,
        barsize: 24,
        hideCursor: false,
        linewrap: false,
        fps: 5,
        barCompleteChar: '#',
        barIncompleteChar: '.',
      });
      this.bar.start(total ?? 0, 0, this.payload());
    } else {
      this.timer = setInterval(() => {
        this.linesWritten++;
        this.stream.write(`${this.line()}\n`);
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  update(update: ProgressUpdate): void {
    if (this.quiet || !this.running) return;
    this.state = update;
    const t = this.now();
    this.history.push([t, update.done]);
    // Keep one sample at or before the window's start: the base the rate is measured from.
    while (this.history.length > 2 && (this.history[1]?.[0] ?? t) <= t - this.windowMs) this.history.shift();
    // A burst of updates within one window is bounded too: keep every other sample.
    if (this.history.length > 256) this.history.splice(1, 128);
    this.bar?.update(update.done, this.payload());
  }

  /** The last line (or the bar's final state), then nothing more. */
  stop(): void {
    if (this.quiet || !this.running) return;
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.bar) {
      this.bar.update(this.state.done, this.payload());
      this.bar.stop();
      this.bar = undefined;
    } else if (this.linesWritten > 0) {
      // A run too short for a periodic line leaves the log alone: its summary says it all.
      this.stream.write(`${this.line(true)}\n`);
    }
  }

  /** Plain lines written so far (non-terminal mode). */
  private linesWritten = 0;

  /**
   * Rows per second over the last window, measured up to now: a stall shows as a falling rate,
   * not the rate of the last burst. The whole run's rate until a window has passed.
   */
  rate(): number {
    const t = this.now();
    const from = t - this.windowMs;
    let base = this.history[0];
    for (const sample of this.history) if (sample[0] <= from) base = sample;
    if (!base || t <= base[0]) return 0;
    return ((this.state.done - base[1]) * 1000) / (t - base[0]);
  }

  private eta(): number | undefined {
    if (this.total === undefined) return undefined;
    const left = this.total - this.state.done;
    if (left <= 0) return 0;
    const rate = this.rate();
    return rate > 0 ? left / rate : undefined;
  }

  private paint(text: string, code: string): string {
    return this.color ? `${code}${text}${RESET}` : text;
  }

  private payload(): Record<string, string> {
    const failed = `${formatCount(this.state.failed)} failed`;
    return {
      label: this.label,
      unit: this.unit,
      done: formatCount(this.state.done),
      totalText: this.total === undefined ? '?' : formatCount(this.total),
      rate: formatCount(this.rate()),
      etaText: formatEta(this.eta()),
      failedText: this.state.failed > 0 ? this.paint(failed, RED) : failed,
      concurrencyText: this.state.concurrency === undefined ? '' : `${this.state.concurrency} in flight`,
    };
  }

  /** Plain mode: `customers.csv: 1,200/5,000 rows (24%), 310 rows/s, ETA 12s, 3 failed, 8 in flight`. */
  line(final = false): string {
    const s = this.state;
    const of = this.total === undefined ? '' : `/${formatCount(this.total)}`;
    const pct = this.total ? ` (${Math.floor((s.done / this.total) * 100)}%)` : '';
    const parts = [`${this.label}: ${formatCount(s.done)}${of} ${this.unit}${pct}`];
    if (final) {
      const seconds = (this.now() - this.startedAt) / 1000;
      parts.push(`done in ${formatEta(seconds)}`);
    } else {
      parts.push(`${formatCount(this.rate())} ${this.unit}/s`);
      if (this.total !== undefined) parts.push(`ETA ${formatEta(this.eta())}`);
    }
    parts.push(`${formatCount(s.failed)} failed`);
    if (s.requests !== undefined) parts.push(`${formatCount(s.requests)} requests`);
    if (s.concurrency !== undefined && !final) parts.push(`${s.concurrency} in flight`);
    return parts.join(', ');
  }
}
