import { describe, expect, it } from 'vitest';
import {
  bestBlockSize,
  blockAt,
  blockCost,
  blockEnd,
  blockQueryValue,
  DensityEstimate,
  maxBlockSize,
  nextRootSize,
  poissonTail,
  remainderBlocks,
} from '../../../src/export/id-blocks.js';

describe('decimal id blocks', () => {
  it.each([
    [10012345, 1000, { start: 10012000, size: 1000 }, '10012%'],
    [10012345, 1, { start: 10012345, size: 1 }, '10012345'],
    [10012345, 10_000_000, { start: 10000000, size: 10_000_000 }, '1%'],
    // Clamped to the id's digit length: a block never mixes 8- and 9-digit ids.
    [10012345, 100_000_000, { start: 10000000, size: 10_000_000 }, '1%'],
    [7, 1000, { start: 7, size: 1 }, '7'],
    [123, 10, { start: 120, size: 10 }, '12%'],
  ])('the block of %i at size %i is %o, queried as %s', (x, size, block, value) => {
    expect(blockAt(x, size)).toEqual(block);
    expect(blockQueryValue(block)).toBe(value);
  });

  it('sends size 1 as the exact id: `n%` would also match the longer ids n0..n9', () => {
    expect(blockQueryValue({ start: 10000001, size: 1 })).toBe('10000001');
  });

  it('knows the largest block of a digit length', () => {
    expect(maxBlockSize(10000000)).toBe(10_000_000);
    expect(maxBlockSize(99999999)).toBe(10_000_000);
    expect(maxBlockSize(100000000)).toBe(100_000_000);
    expect(maxBlockSize(5)).toBe(1);
  });

  it.each([
    // A full reply up to m: the rest of the block, in tenths, from the tenth that holds m + 1.
    [{ start: 10010000, size: 1000 }, 10010345, [10010300, 10010400, 10010500, 10010600, 10010700, 10010800, 10010900]],
    [{ start: 10010000, size: 1000 }, 10010399, [10010400, 10010500, 10010600, 10010700, 10010800, 10010900]],
    [{ start: 10010000, size: 10 }, 10010004, [10010005, 10010006, 10010007, 10010008, 10010009]],
    // The reply reached the end of the block (the rest were longer ids): nothing left.
    [{ start: 10010000, size: 1000 }, 10010999, []],
    [{ start: 10010000, size: 1000 }, 100100000, []],
    [{ start: 10010005, size: 1 }, 10010005, []],
  ])('after a full reply of %o up to %i, walks %o', (block, m, starts) => {
    const rest = remainderBlocks(block, m);
    expect(rest.map((b) => b.start)).toEqual(starts);
    for (const b of rest) expect(b.size).toBe(block.size / 10);
    if (rest.length > 0) expect(blockEnd(rest.at(-1)!)).toBe(blockEnd(block));
  });

  it('computes Poisson tails', () => {
    expect(poissonTail(0, 1)).toBe(0);
    expect(poissonTail(5, 0)).toBe(1);
    expect(poissonTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(poissonTail(1e6, 1000)).toBe(1);
  });

  it('costs a block that is never full one request', () => {
    expect(blockCost(0.001, 100, 1000)).toBe(1);
    expect(blockCost(1, 1, 7)).toBe(1);
    expect(blockCost(1, 1000, 7)).toBeGreaterThan(10);
  });

  it.each([
    // Dense ids: a block of 10,000 (5,000 records) costs 1 + 8 requests, ten blocks of 1,000 cost 10.
    [0.5, 1000, 10_000],
    [0.05, 1000, 100_000],
    // Sparse ids: bigger blocks.
    [0.065, 1000, 10_000],
    // A tiny cap: a block that is sometimes full still beats ten times as many small ones.
    [0.065, 7, 100],
    [1, 1, 1],
  ])('picks a block size for density %d and max-items %i: %i', (density, maxItems, size) => {
    expect(bestBlockSize(density, maxItems, 10_000_000)).toBe(size);
  });

  it('grows the next root block only on its own boundary', () => {
    expect(nextRootSize(10010000, 0.0001, 1000)).toBe(10_000);
    expect(nextRootSize(10012000, 0.0001, 1000)).toBe(1000);
    expect(nextRootSize(10012345, 0.0001, 1000)).toBe(1);
    expect(nextRootSize(10000000, 0, 1000)).toBe(10_000_000);
  });

  it('estimates density from the prior and then from replies', () => {
    const estimate = new DensityEstimate(0.5, 1000, 2);
    expect(estimate.value()).toBe(0.5);
    estimate.observe(0, 1000);
    expect(estimate.value()).toBe(0.25);
    estimate.observe(0, 1000);
    expect(estimate.value()).toBe(0);
  });
});
