import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/client/retry-after.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryAfterMs', () => {
  it.each<[string | string[] | undefined, number | undefined]>([
    ['1', 1000],
    ['0', 0],
    [' 120 ', 120_000],
    [['2', '5'], 2000],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sunday, 01-Mar-26 12:00:05 GMT', 5000],
    ['Sun Mar  1 12:00:07 2026', 7000],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0],
    [undefined, undefined],
    ['', undefined],
    ['soon', undefined],
    ['1.5', undefined],
    ['-1', undefined],
  ])('%j is %j ms', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected);
  });
});
