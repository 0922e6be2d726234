/** Shared set-up of the import integration tests: a real emulator on port 0, a temp folder, the CLI in-process. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';
import { runCli } from '../../../src/cli/program.js';
import { WapiClient } from '../../../src/client/wapi-client.js';

export const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' } as const;
export const FIXTURES = new URL('../../fixtures/import/', import.meta.url).pathname;

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The connection settings the CLI reads from the environment (the password has no flag). */
export function useCredentialsEnv(): void {
  process.env['WAPI_TENANT'] = CREDENTIALS.tenant;
  process.env['WAPI_USERNAME'] = CREDENTIALS.username;
  process.env['WAPI_PASSWORD'] = CREDENTIALS.password;
  delete process.env['WAPI_URL'];
}

export interface Workspace {
  readonly dir: string;
  readonly emulator: RunningEmulator;
  /** Run the CLI in-process with `--url` of the emulator where asked; resolves to exit code and output. */
  cli(args: string[], options?: { url?: boolean }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A GET on the emulator, items only. */
  get(object: string, tags: Array<[string, string]>): Promise<ReadonlyArray<Record<string, string>>>;
  /** Any command straight through the API (an edit "by hand"); throws unless it succeeds. */
  call(object: string, action: string, tags: Array<[string, string]>): Promise<ReadonlyArray<Record<string, string>>>;
  /** Write a file into the workspace and return its path. */
  write(name: string, content: string | Buffer): string;
  close(): Promise<void>;
}

export async function workspace(options: EmulatorOptions = {}): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), 'wapi-import-'));
  const emulator = await startEmulator({ port: 0, ...options });
  const client = new WapiClient({ url: emulator.url, credentials: CREDENTIALS, retries: 8, retryBaseMs: 5 });
  return {
    dir,
    emulator,
    async cli(args, { url = true } = {}) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const code = await runCli(['node', 'wapi-bulk', ...args, ...(url ? ['--url', emulator.url] : [])], { stdout, stderr });
        return { code, stdout: out, stderr: err };
      } finally {
        process.chdir(cwd);
      }
    },
    async get(object, tags) {
      return (await client.call({ object, action: 'GET', tags })).items;
    },
    async call(object, action, tags) {
      return (await client.call({ object, action, tags })).items;
    },
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    async close() {
      await client.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A report CSV as records (objects by header). */
export function readCsv(path: string, options: { delimiter?: string; encoding?: BufferEncoding } = {}): Array<Record<string, string>> {
  const text = readFileSync(path, options.encoding ?? 'utf8');
  return parse(text, { columns: true, delimiter: options.delimiter ?? ',', bom: true, relax_column_count: true }) as Array<Record<string, string>>;
}

export function readSummary(dir: string): Record<string, number> {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, number>;
}

/** Every file under a folder, recursively (to grep for secrets). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The report folder of the latest run of a mapping under `cwd` (each run writes its own,
 * `wapi-bulk-out/<mapping>/<run>-<started>/`).
 */
export function latestOut(cwd: string, mapping: string): string {
  const base = join(cwd, 'wapi-bulk-out', mapping);
  const folders = existsSync(base) ? readdirSync(base).map((name) => join(base, name)) : [];
  const newest = folders.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b)).at(-1);
  if (newest === undefined) throw new Error(`no report folder under ${base}`);
  return newest;
}
