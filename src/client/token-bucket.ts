import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces requests to `rate` per second across the whole pool. A bucket of `burst` tokens refills
 * continuously; `take()` waits for a token. With no rate it never waits.
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: number | undefined,
    private readonly burst = rate === undefined ? 1 : Math.max(1, Math.ceil(rate / 10)),
  ) {
    this.tokens = this.burst;
  }

  take(signal?: AbortSignal): Promise<void> {
    if (this.rate === undefined || this.rate <= 0) return Promise.resolve();
    // Serialise waiters so tokens go out in arrival order.
    const next = this.chain.then(() => this.wait(signal));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async wait(signal?: AbortSignal): Promise<void> {
    const rate = this.rate as number;
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / rate) * 1000), undefined, { signal });
    }
  }
}
