import { WapiBulkError } from '../protocol/errors.js';

/**
 * Time as the client's pacing sees it. The real one reads `performance.now()` and waits with the
 * global `setTimeout`, so vitest's fake timers drive the token bucket and the backoffs in tests.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolve after `ms`; reject with WAPI_ABORTED as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The error every wait of the client rejects with when its signal aborts. */
export function abortedError(signal?: AbortSignal): WapiBulkError {
  return new WapiBulkError('WAPI_ABORTED', 'the request was cancelled', { cause: signal?.reason });
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortedError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
