import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The suite waits on sockets and timers (emulators on port 0) more than on the CPU: three
    // forks on two cores take it from about 160 s to about 70 s.
    maxWorkers: 3,
  },
});
