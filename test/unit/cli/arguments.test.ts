import { describe, expect, it } from 'vitest';
import { requestRate, wholeNumber } from '../../../src/cli/arguments.js';

// Regression: import, export and serve each had their own number parser; import took
// `--concurrency 1e3` and ` 8` that export refused.
describe('numeric flags', () => {
  it.each(['1e3', '8x', '-1', '1.5', '', '99999999999999999999'])('refuses %j as a whole number', (text) => {
    expect(() => wholeNumber('--concurrency', 1)(text)).toThrow('--concurrency takes a whole number of at least 1');
  });

  it('takes digits within the bounds', () => {
    expect(wholeNumber('--limit', 0)('0')).toBe(0);
    expect(wholeNumber('--port', 0, 65535)('8088')).toBe(8088);
    expect(() => wholeNumber('--port', 0, 65535)('65536')).toThrow('--port takes a whole number from 0 to 65535');
  });

  it('takes a rate above 0, fractions included', () => {
    expect(requestRate('0.5')).toBe(0.5);
    for (const bad of ['0', '-2', 'fast', 'Infinity']) expect(() => requestRate(bad)).toThrow('--rate takes a number of requests per second above 0');
  });
});
