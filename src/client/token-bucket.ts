import { abortedError, realClock, type Clock } from './clock.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * Paces requests to `rate` per second across the whole pool. A bucket of `burst` tokens refills
 * continuously; `take()` waits for a token, first come first served. With no rate it never
 * waits. The rate can change while requests wait (the pacer lowers it on 429s).
 */
export class TokenBucket {
  private rate: number | undefined;
  private burst = 1;
  private tokens = 1;
  private last: number;
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** No token before this time (clock ms): the server said when to come back. 0: none. */
  private holdUntil = 0;

  constructor(
    rate: number | undefined,
    private readonly clock: Clock = realClock,
  ) {
    this.last = clock.now();
    this.setRate(rate);
    this.tokens = this.burst;
  }

  /** Requests per second; undefined when unpaced. */
  get currentRate(): number | undefined {
    return this.rate;
  }

  /**
   * Change the rate. Tokens earned so far are kept (up to the new burst), so a lower rate slows
   * the next requests at once and a higher one takes effect without a stall.
   */
  setRate(rate: number | undefined): void {
    this.refill();
    this.rate = rate !== undefined && rate > 0 && Number.isFinite(rate) ? rate : undefined;
    // A tenth of a second's worth: enough to absorb timer lateness, too little to be a burst
    // that trips a server's per-second limit.
    this.burst = this.rate === undefined ? 1 : Math.max(1, Math.ceil(this.rate / 10));
    this.tokens = Math.min(this.tokens, this.burst);
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.drain();
  }

  /**
   * Hand out no token for `ms`: a 429's Retry-After speaks for every request, since the
   * server's quota is the tenant's. Requests sent meanwhile would only be refused too.
   */
  pause(ms: number): void {
    const until = this.clock.now() + ms;
    if (until <= this.holdUntil) return;
    this.holdUntil = until;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.drain();
  }

  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.queue.length === 0 && !this.held()) {
      if (this.rate === undefined) return Promise.resolve();
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return Promise.resolve();
      }
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.queue.indexOf(waiter);
          if (at !== -1) this.queue.splice(at, 1);
          reject(abortedError(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.drain();
    });
  }

  private held(): boolean {
    // The clock is read only while a pause was ever asked for: unpaced requests skip it.
    return this.holdUntil !== 0 && this.clock.now() < this.holdUntil;
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.rate !== undefined) this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** Hand out the tokens there are, in order, and set one timer for the next. */
  private drain(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const held = this.holdUntil - this.clock.now();
    if (held > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, Math.ceil(held));
      return;
    }
    this.refill();
    while (this.queue.length > 0 && (this.rate === undefined || this.tokens >= 1)) {
      if (this.rate !== undefined) this.tokens -= 1;
      const waiter = this.queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (this.queue.length === 0 || this.rate === undefined) return;
    const wait = Math.ceil(((1 - this.tokens) / this.rate) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, wait);
  }
}
