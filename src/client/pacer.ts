import { abortedError, realClock, type Clock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

/** How a request ended, as pacing sees it. */
export type PaceOutcome =
  /** An HTTP 2xx reply (whatever its STATUS): the server keeps up. */
  | 'ok'
  /** Refused for load (429, 503): slow down. */
  | 'throttled'
  /** No reply in time (a timeout, a 504): slow down. */
  | 'timeout'
  /** Anything else (a reset, a 500, a 404): says nothing about load. */
  | 'failed';

export interface PacingOptions {
  /** The most requests let out at once (the pool's connections). */
  readonly concurrency: number;
  /** The user's cap in requests per second; undefined: unpaced until the server pushes back. */
  readonly rate?: number | undefined;
  /** Lower the pace on 429s and timeouts, and creep back up (default true). */
  readonly adaptive?: boolean | undefined;
  /** The pace never goes below this many requests per second (default 1). */
  readonly minRate?: number | undefined;
  readonly clock?: Clock | undefined;
}

/** The pace the client settled on, for the run's summary. */
export interface PacingStats {
  /** Requests per second the client lets out; null while unpaced. */
  rate: number | null;
  /** Requests it lets out at once. */
  concurrency: number;
  /** Times it slowed down: once per round of requests that met 429s or timeouts. */
  slowdowns: number;
}

/** A request let out; hand it back to `release` with its outcome. */
export interface Permit {
  /** The pace's generation when the request left: later slowdowns do not count it twice. */
  readonly epoch: number;
}

/** Multiplicative decrease of the rate and of the window. */
const RATE_BACKOFF = 0.7;
const WINDOW_BACKOFF = 0.5;
/**
 * Slow start grows the window by half a place per reply (x1.5 per round): the first refusal of a
 * per-second quota then finds about half as many requests in flight as the quota took.
 */
const SLOW_START_STEP = 0.5;
/** Additive increase: +1 request/s per second at low rates, +5% per second above 20 requests/s. */
const RATE_STEP = 0.05;

/**
 * Adaptive pacing (AIMD, as TCP's congestion control): a window of requests in flight and a
 * token bucket for the rate. A 429 or a timeout halves the window and cuts the rate to 70% of
 * what the server accepted in the last second; every reply then adds a little back. Requests
 * that left before a slowdown do not trigger another: 60 requests refused by one burst are one
 * slowdown, not sixty (TCP's "one cut per round trip").
 */
export class Pacer {
  readonly stats: PacingStats;
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private readonly adaptive: boolean;
  private readonly cap: number | undefined;
  private readonly maxWindow: number;
  private readonly minRate: number;
  private window: number;
  /**
   * Until the first slowdown the window grows with each reply from one (TCP's slow start): a
   * server with a per-second quota refuses some of what was in flight when its first refusal came
   * back, not the whole --concurrency at once.
   */
  private slowStart: boolean;
  private inFlight = 0;
  private epoch = 0;
  private readonly slots: Array<{ resolve: () => void; reject: (error: Error) => void; signal?: AbortSignal | undefined; onAbort: () => void }> = [];
  /** Replies per tenth of a second over the last second (a ring), for the first estimate of the rate. */
  private readonly recent = new Array<number>(10).fill(0);
  private recentSlot = 0;
  private recentAt = 0;
  /** Replies received since the start: what "progress" means for requests refused by a 429. */
  replies = 0;

  constructor(options: PacingOptions) {
    this.clock = options.clock ?? realClock;
    this.adaptive = options.adaptive ?? true;
    this.cap = options.rate;
    this.maxWindow = Math.max(1, options.concurrency);
    this.minRate = options.minRate ?? 1;
    this.slowStart = this.adaptive;
    this.window = this.adaptive ? 1 : this.maxWindow;
    this.bucket = new TokenBucket(options.rate, this.clock);
    this.stats = { rate: options.rate ?? null, concurrency: Math.floor(this.window), slowdowns: 0 };
    this.recentAt = this.clock.now();
  }

  /** Wait for a place in the window, then for a token. Rejects with WAPI_ABORTED on abort. */
  async acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) throw abortedError(signal);
    // A waiter woken by wake() has its place counted already.
    if (this.inFlight < Math.floor(this.window) && this.slots.length === 0) this.inFlight++;
    else await this.waitForSlot(signal);
    try {
      await this.bucket.take(signal);
    } catch (error) {
      this.inFlight--;
      this.wake();
      throw error;
    }
    return { epoch: this.epoch };
  }

  /** Let no request out for `ms` (a Retry-After), in flight or waiting. */
  pause(ms: number): void {
    this.bucket.pause(ms);
  }

  release(permit: Permit, outcome: PaceOutcome): void {
    this.inFlight--;
    if (outcome === 'ok') {
      this.replies++;
      this.count();
      if (this.adaptive && permit.epoch === this.epoch) this.increase();
    } else if ((outcome === 'throttled' || outcome === 'timeout') && this.adaptive && permit.epoch === this.epoch) {
      this.decrease();
    }
    this.wake();
  }

  private waitForSlot(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const slot = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.slots.indexOf(slot);
          if (at !== -1) this.slots.splice(at, 1);
          reject(abortedError(signal));
        },
      };
      signal?.addEventListener('abort', slot.onAbort, { once: true });
      this.slots.push(slot);
    });
  }

  private wake(): void {
    while (this.inFlight < Math.floor(this.window) && this.slots.length > 0) {
      const slot = this.slots.shift() as (typeof this.slots)[number];
      slot.signal?.removeEventListener('abort', slot.onAbort);
      this.inFlight++;
      slot.resolve();
    }
  }

  /** Replies in the last second. */
  private acceptedLastSecond(): number {
    this.count(0);
    return this.recent.reduce((a, b) => a + b, 0);
  }

  private count(n = 1): void {
    const now = this.clock.now();
    const steps = Math.min(10, Math.floor((now - this.recentAt) / 100));
    for (let i = 0; i < steps; i++) {
      this.recentSlot = (this.recentSlot + 1) % 10;
      this.recent[this.recentSlot] = 0;
    }
    if (steps > 0) this.recentAt += Math.floor((now - this.recentAt) / 100) * 100;
    this.recent[this.recentSlot] = (this.recent[this.recentSlot] as number) + n;
  }

  private increase(): void {
    if (this.window < this.maxWindow) this.setWindow(Math.min(this.maxWindow, this.window + (this.slowStart ? SLOW_START_STEP : 1 / this.window)));
    const rate = this.bucket.currentRate;
    if (rate === undefined || rate === this.cap) return;
    const next = rate + Math.max(1 / rate, RATE_STEP);
    this.setRate(this.cap === undefined ? next : Math.min(this.cap, next));
  }

  private decrease(): void {
    this.slowStart = false;
    this.epoch++;
    this.stats.slowdowns++;
    this.setWindow(Math.max(1, this.window * WINDOW_BACKOFF));
    // What the server took in the last second is the best guess of what it will take. Nothing
    // taken (a 503 on the first request, a stalled server) is no measure of a rate: the smaller
    // window alone slows down, rather than a pace of 1/s to climb back from.
    const accepted = this.acceptedLastSecond();
    if (accepted === 0) return;
    const current = this.bucket.currentRate;
    this.setRate(Math.max(this.minRate, Math.min(current ?? accepted, accepted) * RATE_BACKOFF));
  }

  private setWindow(window: number): void {
    this.window = window;
    this.stats.concurrency = Math.floor(window);
  }

  private setRate(rate: number): void {
    this.bucket.setRate(rate);
    this.stats.rate = Math.round(rate * 10) / 10;
  }
}
