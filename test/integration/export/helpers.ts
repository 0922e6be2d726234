import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Fixtures } from '../../../src/emulator/index.js';

export const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' } as const;

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wapi-export-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readCsv(file: string): Array<Record<string, string>> {
  return parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: false }) as Array<Record<string, string>>;
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The ids of a fixture list, ascending, as strings. */
export function fixtureIds(rows: Fixtures[keyof Fixtures], tag: string): string[] {
  return (rows ?? []).map((r) => Number(r[tag])).sort((a, b) => a - b).map(String);
}
