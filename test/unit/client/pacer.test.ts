/** Adaptive pacing (AIMD) under vitest's fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer, type PaceOutcome, type Permit } from '../../../src/client/pacer.js';

/** Acquire `n` permits; `granted()` says which have been let out so far. */
function acquire(pacer: Pacer, n: number, signal?: AbortSignal) {
  const granted: Permit[] = [];
  const promises = Array.from({ length: n }, () => pacer.acquire(signal).then((p) => (granted.push(p), p)));
  return { granted, promises };
}

async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

describe('Pacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts with one request at once and grows by half each round of replies, up to the concurrency (slow start)', async () => {
    const pacer = new Pacer({ concurrency: 16 });
    const run = acquire(pacer, 100);
    await settle();
    expect(run.granted).toHaveLength(1);
    const rounds: number[] = [];
    for (let round = 0; round < 9; round++) {
      const out = [...run.granted];
      run.granted.length = 0;
      for (const p of out) pacer.release(p, 'ok');
      await settle();
      rounds.push(run.granted.length);
    }
    expect(rounds).toEqual([1, 2, 3, 4, 6, 9, 14, 16, 16]);
    expect(pacer.stats).toMatchObject({ concurrency: 16, rate: null, slowdowns: 0 });
  });

  it('lets the whole concurrency out at once when not adaptive', async () => {
    const pacer = new Pacer({ concurrency: 16, adaptive: false });
    const run = acquire(pacer, 40);
    await settle();
    expect(run.granted).toHaveLength(16);
    for (const p of run.granted.splice(0)) pacer.release(p, 'throttled');
    await settle();
    expect(pacer.stats).toMatchObject({ concurrency: 16, rate: null, slowdowns: 0 });
  });

  it('slows down once for a round of 429s, to 70% of what the server took in the last second', async () => {
    const pacer = new Pacer({ concurrency: 64 });
    // 20 requests accepted within the second (the window grows with each reply).
    const accepted = acquire(pacer, 20);
    for (let released = 0; released < 20; ) {
      await settle();
      for (const p of accepted.granted.splice(0)) {
        pacer.release(p, 'ok');
        released++;
      }
    }
    const burst = acquire(pacer, 30);
    await settle();
    const refused = burst.granted.splice(0);
    expect(refused).toHaveLength(11); // slow start: half a place per reply, from one
    for (const p of refused) pacer.release(p, 'throttled');
    expect(pacer.stats.slowdowns).toBe(1);
    expect(pacer.stats.rate).toBe(14);
    expect(pacer.stats.concurrency).toBe(5);
  });

  it('a slowdown before any reply sets no rate: a 503 on the first request is no measure of one', async () => {
    // Bug: the first request's 503 set a pace of 1 request/s, a minute's climb back to speed.
    const pacer = new Pacer({ concurrency: 8 });
    pacer.release(await pacer.acquire(), 'throttled');
    expect(pacer.stats).toMatchObject({ rate: null, slowdowns: 1, concurrency: 1 });
  });

  it('does not slow down again for requests that left before the slowdown', async () => {
    const pacer = new Pacer({ concurrency: 8 });
    for (let i = 0; i < 4; i++) pacer.release(await pacer.acquire(), 'ok');
    const before = [await pacer.acquire(), await pacer.acquire(), await pacer.acquire()];
    for (const p of before) pacer.release(p, 'timeout');
    expect(pacer.stats.slowdowns).toBe(1);
    pacer.release(await pacer.acquire(), 'throttled');
    expect(pacer.stats.slowdowns).toBe(2);
  });

  it('creeps back up after a slowdown, never above the --rate cap', async () => {
    const pacer = new Pacer({ concurrency: 4, rate: 20 });
    for (let i = 0; i < 11; i++) {
      const p = pacer.acquire();
      await vi.advanceTimersByTimeAsync(50);
      pacer.release(await p, i < 10 ? 'ok' : 'throttled');
    }
    expect(pacer.stats.rate).toBe(7); // 70% of the 10 the server took in the last second
    const rates: number[] = [];
    for (let i = 0; i < 400; i++) {
      const p = pacer.acquire();
      await vi.advanceTimersByTimeAsync(1000);
      pacer.release(await p, 'ok');
      rates.push(pacer.stats.rate as number);
    }
    expect(rates[5]).toBeGreaterThan(7);
    expect(rates.every((r, i) => i === 0 || r >= (rates[i - 1] as number))).toBe(true);
    expect(Math.max(...rates)).toBe(20);
  });

  it.each<[PaceOutcome, number]>([
    ['ok', 0],
    ['failed', 0],
    ['throttled', 1],
    ['timeout', 1],
  ])('a %s reply: %i slowdowns', async (outcome, slowdowns) => {
    const pacer = new Pacer({ concurrency: 4 });
    pacer.release(await pacer.acquire(), outcome);
    expect(pacer.stats.slowdowns).toBe(slowdowns);
  });

  it('an abort while waiting for a place rejects with WAPI_ABORTED, and frees nothing it did not take', async () => {
    const pacer = new Pacer({ concurrency: 1, adaptive: false });
    const held = await pacer.acquire();
    const controller = new AbortController();
    const waiting = pacer.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'WAPI_ABORTED' });
    const next = acquire(pacer, 1);
    await settle();
    expect(next.granted).toHaveLength(0);
    pacer.release(held, 'ok');
    await settle();
    expect(next.granted).toHaveLength(1);
  });

  it('an abort during a rate wait rejects with WAPI_ABORTED and gives the place back', async () => {
    const pacer = new Pacer({ concurrency: 1, rate: 1, adaptive: false });
    pacer.release(await pacer.acquire(), 'ok');
    const controller = new AbortController();
    const waiting = pacer.acquire(controller.signal);
    await settle();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'WAPI_ABORTED' });
    const next = acquire(pacer, 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.granted).toHaveLength(1);
  });
});
