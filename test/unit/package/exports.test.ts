/**
 * The package as others depend on it: built with the project's tsc config into a package folder
 * that holds what `files` lists, installed under node_modules/wapi-bulk of a temp folder, and
 * imported by name through its `exports` in fresh child processes. `wapi-bulk` is the client
 * library and loads no emulator module (a loader hook lists every module loaded);
 * `wapi-bulk/emulator` is the emulator; the `types` of both serve a TypeScript caller; deep
 * imports are closed; the packaged CLI runs.
 *
 * Built beside, not into, dist/: other runs (the benchmarks, `npm run demo`) may be using it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  files: string[];
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};

let dir: string;
let pkgDir: string;

/** Run a module script in a child process from the temp folder, every loaded module logged. */
function run(script: string): { status: number | null; stdout: string; stderr: string; loaded: string[] } {
  const log = join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, WAPI_LOADED_LOG: log },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, loaded: readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-package-'));
  pkgDir = join(dir, 'node_modules', PKG.name);
  mkdirSync(pkgDir, { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkgDir, 'package.json'));
  // What `files` ships besides dist/, which is built below; the dependencies as installed.
  for (const entry of PKG.files.filter((f) => f !== 'dist')) symlinkSync(join(ROOT, entry), join(pkgDir, entry));
  symlinkSync(join(ROOT, 'node_modules'), join(pkgDir, 'node_modules'), 'dir');
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(pkgDir, 'dist'), '--sourceMap', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(build.stdout + build.stderr).toBe('');
  // A loader hook in its own thread: each module's URL, as it loads, appended to a file.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, nextLoad) {
  appendFileSync(log, url + '\\n');
  return nextLoad(url, context);
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: process.env.WAPI_LOADED_LOG } });
`,
  );
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('package.json', () => {
  it('exports `.` and `./emulator`, each with types, all inside what `files` ships', () => {
    expect(Object.keys(PKG.exports)).toEqual(expect.arrayContaining(['.', './emulator']));
    for (const entry of ['.', './emulator']) {
      const target = PKG.exports[entry] as Record<string, string>;
      expect(Object.keys(target)[0], `${entry}: "types" first, as TypeScript reads conditions in order`).toBe('types');
      for (const file of [target['types'] as string, target['default'] as string]) {
        expect(PKG.files.some((f) => file.startsWith(`./${f}/`)), `${file} is shipped`).toBe(true);
        expect(existsSync(join(pkgDir, file)), `${file} is built`).toBe(true);
      }
    }
  });
});

describe("import('wapi-bulk')", () => {
  it('loads the client library and no emulator module', () => {
    const got = run(`const m = await import('wapi-bulk'); console.log(JSON.stringify(Object.keys(m).sort()));`);
    expect(got.stderr).toBe('');
    expect(got.status).toBe(0);
    const dist = pathToFileURL(join(pkgDir, 'dist')).href;
    const ours = got.loaded.filter((url) => url.startsWith(`${dist}/`)).map((url) => url.slice(dist.length + 1));
    expect(ours).toContain('index.js');
    expect(ours.filter((file) => file.startsWith('emulator/'))).toEqual([]);
    const names = JSON.parse(got.stdout) as string[];
    expect(names).toEqual(
      expect.arrayContaining([
        'WapiClient',
        'importCsv',
        'exportRecords',
        'reconcile',
        'undoRuns',
        'loadMapping',
        'parseMapping',
        'applyMapping',
        'validateRecord',
        'WapiBulkError',
        'ApiRejection',
        'TransportError',
        'ConfigError',
        'MappingError',
        'RowError',
        'renderRunReport',
        'writeRunReport',
        'CATALOGUE',
        'parseReply',
        'buildRequest',
      ]),
    );
    expect(names).not.toContain('startEmulator');
  });

  it('keeps its modules to itself: a deep import is not exported', () => {
    const got = run(`try { await import('wapi-bulk/dist/emulator/server.js'); console.log('loaded'); } catch (e) { console.log(e.code); }`);
    expect(got.stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});

describe("import('wapi-bulk/emulator')", () => {
  it('starts the emulator (with the packaged sample tenant), which the client of `wapi-bulk` talks to', () => {
    const got = run(`
      const { startEmulator } = await import('wapi-bulk/emulator');
      const { WapiClient } = await import('wapi-bulk');
      const emulator = await startEmulator({ port: 0 });
      const client = new WapiClient({ url: emulator.url, credentials: { tenant: 'AcmeJets', username: 'johnd', password: 'john123' } });
      const reply = await client.send({ object: 'CUSTOMER', action: 'GET', tags: [] });
      await client.close();
      await emulator.close();
      console.log(JSON.stringify({ status: reply.status, hasTotal: reply.items[0]?.TOTAL !== undefined }));
    `);
    expect(got.stderr).toBe('');
    expect(JSON.parse(got.stdout)).toEqual({ status: '0', hasTotal: true });
    const dist = pathToFileURL(join(pkgDir, 'dist')).href;
    expect(got.loaded).toContain(`${dist}/emulator/index.js`);
  });
});

describe('types', () => {
  it('serve a TypeScript caller of both entries, and the client entry has no emulator', () => {
    writeFileSync(
      join(dir, 'caller.ts'),
      `import {
  WapiClient, importCsv, exportRecords, reconcile, undoRuns, loadMapping, validateRecord,
  WapiBulkError, ApiRejection, TransportError, ConfigError, MappingError, RowError,
  type Mapping, type MappedRow, type FieldProblem, type TenantLists, type ImportProgress, type ClientStats,
  type ClientConnection, type ExportOptions, type ReconcileOptions, type UndoOptions, type RunReport, type RunStatus,
  type ImportSummary, type ExportSummary, type ReconcileSummary, type UndoSummary, type ErrorCode,
} from 'wapi-bulk';
import { startEmulator, type ReplyStyle, type FaultScriptEntry, type FiredFault, type EmulatorOptions, type RunningEmulator } from 'wapi-bulk/emulator';
// @ts-expect-error the client entry does not carry the emulator
import { startEmulator as notInTheClient } from 'wapi-bulk';

export type Used = [Mapping, MappedRow, FieldProblem, TenantLists, ImportProgress, ClientStats, ClientConnection, ExportOptions,
  ReconcileOptions, UndoOptions, RunReport, RunStatus, ImportSummary, ExportSummary, ReconcileSummary, UndoSummary, ErrorCode,
  FaultScriptEntry, FiredFault, EmulatorOptions, RunningEmulator];
const style: ReplyStyle = 'live';
const fault: FaultScriptEntry = { object: 'CUSTOMER', action: 'ADD', nth: 1, fault: 'reset' };
const connection: ClientConnection = { url: 'http://127.0.0.1:1/WAPI/wapi.php', credentials: { tenant: 't', username: 'u', password: 'p' } };
export const values = [WapiClient, importCsv, exportRecords, reconcile, undoRuns, loadMapping, validateRecord, WapiBulkError,
  ApiRejection, TransportError, ConfigError, MappingError, RowError, startEmulator, notInTheClient, style, fault, connection];
export const problems: FieldProblem[] = validateRecord('CUSTOMER', 'ADD', [['FIRSTNAME', 'Ada']]);
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['caller.ts'],
      }),
    );
    const check = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('the packaged CLI', () => {
  it('runs from the bin of the package', () => {
    const bin = join(pkgDir, PKG.bin['wapi-bulk'] as string);
    const got = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', timeout: 60_000 });
    expect(got.status).toBe(0);
    expect(got.stdout.trim()).toMatch(/\d+\.\d+\.\d+/);
  });
});
