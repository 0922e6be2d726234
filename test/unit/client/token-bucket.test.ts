/**
 * The token bucket under vitest's fake timers: performance.now() and setTimeout are the fake
 * clock's, so these tests read the pacing exactly and take no real time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from '../../../src/client/token-bucket.js';

/** Start `n` takes; `done()` says how many have resolved so far. */
function takes(bucket: TokenBucket, n: number, signal?: AbortSignal) {
  let resolved = 0;
  const order: number[] = [];
  const promises = Array.from({ length: n }, (_, i) =>
    bucket.take(signal).then(() => {
      resolved++;
      order.push(i);
    }),
  );
  return { done: () => resolved, order, promises };
}

describe('TokenBucket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('never waits without a rate', async () => {
    const run = takes(new TokenBucket(undefined), 1000);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.done()).toBe(1000);
  });

  it('lets out `rate` requests per second after a burst of a tenth of a second', async () => {
    const run = takes(new TokenBucket(50), 200);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.done()).toBe(5); // the burst: ceil(50 / 10)
    await vi.advanceTimersByTimeAsync(1000);
    expect(run.done()).toBe(55);
    await vi.advanceTimersByTimeAsync(2000);
    expect(run.done()).toBe(155);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.done()).toBe(200);
  });

  it('holds the rate over 30 seconds within one request', async () => {
    const run = takes(new TokenBucket(50), 5000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(Math.abs(run.done() - (5 + 50 * 30))).toBeLessThanOrEqual(1);
  });

  it('hands out tokens first come, first served', async () => {
    const run = takes(new TokenBucket(10), 12);
    await vi.advanceTimersByTimeAsync(2000);
    expect(run.order).toEqual([...Array(12).keys()]);
  });

  it('takes a lower rate at once, for requests already waiting', async () => {
    const bucket = new TokenBucket(100);
    const run = takes(bucket, 100);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.done()).toBe(10);
    bucket.setRate(10);
    await vi.advanceTimersByTimeAsync(1000);
    expect(run.done()).toBeGreaterThanOrEqual(19);
    expect(run.done()).toBeLessThanOrEqual(21);
  });

  it('pauses every token for a Retry-After, paced or not', async () => {
    const unpaced = new TokenBucket(undefined);
    unpaced.pause(1000);
    const run = takes(unpaced, 3);
    await vi.advanceTimersByTimeAsync(999);
    expect(run.done()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.done()).toBe(3);

    const paced = new TokenBucket(10);
    await paced.take();
    paced.pause(500);
    const second = takes(paced, 2);
    await vi.advanceTimersByTimeAsync(499);
    expect(second.done()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(second.done()).toBe(1);
  });

  it('an abort during a rate wait rejects with WAPI_ABORTED, and the next waiter moves up', async () => {
    // Bug: the wait surfaced as a raw AbortError from node:timers/promises.
    const bucket = new TokenBucket(1);
    await bucket.take();
    const controller = new AbortController();
    const aborted = bucket.take(controller.signal);
    const next = takes(bucket, 1);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'WAPI_ABORTED', name: 'WapiBulkError' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.done()).toBe(1);
  });

  it('rejects a take with an already aborted signal at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new TokenBucket(undefined).take(controller.signal)).rejects.toMatchObject({ code: 'WAPI_ABORTED' });
  });
});
