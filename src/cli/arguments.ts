import { InvalidArgumentError } from 'commander';

/**
 * Parsers for numeric flags, shared by every command so that `--concurrency 1e3` or `--port 8x`
 * is refused the same way everywhere: digits only, a safe integer, within the bounds.
 */
export function wholeNumber(name: string, min: number, max?: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(max === undefined ? `${name} takes a whole number of at least ${min}` : `${name} takes a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** `--rate`: requests per second, any number above 0. */
export function requestRate(text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('--rate takes a number of requests per second above 0');
  return n;
}

/** `--max-items`: `auto` (learn the server's cap from its replies) or a whole number. */
export function maxItems(text: string): number | 'auto' {
  if (text.trim().toLowerCase() === 'auto') return 'auto';
  try {
    return wholeNumber('--max-items', 1)(text);
  } catch {
    throw new InvalidArgumentError('--max-items takes auto or a whole number of at least 1');
  }
}
