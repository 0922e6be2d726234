/**
 * The emulator in a process of its own for the benchmarks, so that the client's CPU and the
 * server's are measured apart (tsx runs the TypeScript sources; no build step).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

/** `wapi-bulk serve --port 0 --fixtures FILE` in a child process; resolves once it listens. */
export async function serveFixtures(fixtures: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--fixtures', fixtures], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const m = /listening on (\S+)/.exec(line);
    if (m) return { url: m[1] as string, child };
  }
  throw new Error('the emulator did not start');
}
