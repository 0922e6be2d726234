/**
 * The input's bytes: UTF-8 is checked chunk by chunk without decoding (the decoded strings were
 * most of a million-row import's peak memory), so a character split across two chunks must not
 * look invalid, and a file cut inside a character must.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { decodedStream, inspectInput } from '../../../src/import/input-file.js';

const dir = mkdtempSync(join(tmpdir(), 'wapi-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHUNK = 256 * 1024;

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('inspectInput', () => {
  // Each multi-byte character placed so that every split point falls on the chunk boundary.
  for (const char of ['é', '€', '王', '😀']) {
    const width = Buffer.byteLength(char);
    for (let offset = 1; offset < width; offset++) {
      it(`a ${width}-byte character split ${offset}/${width - offset} across two chunks is valid UTF-8`, async () => {
        const head = Buffer.alloc(CHUNK - offset, 'a');
        const bytes = Buffer.concat([head, Buffer.from(`${char}\nb,c\n`)]);
        const path = file(`split-${width}-${offset}.csv`, bytes);
        expect(await inspectInput(path, 'auto')).toMatchObject({ encoding: 'utf-8', note: undefined });
        expect(await inspectInput(path, 'utf-8')).toMatchObject({ encoding: 'utf-8' });
        expect((await text(decodedStream(path, 'utf-8', true))).endsWith(`${char}\nb,c\n`)).toBe(true);
      });
    }
  }

  it('a file cut inside a character is not UTF-8: auto reads it as windows-1252, utf-8 refuses it naming the line', async () => {
    const path = file('cut.csv', Buffer.concat([Buffer.from('a,b\nJ\u00fcrgen,'), Buffer.from('王').subarray(0, 2)]));
    expect((await inspectInput(path, 'auto')).encoding).toBe('windows-1252');
    await expect(inspectInput(path, 'utf-8')).rejects.toThrow(/not valid UTF-8 at line 2/);
  });

  it('an invalid byte far into the file is found, on its line', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `row${i},value`).join('\n');
    const path = file('late.csv', Buffer.concat([Buffer.from(`${lines}\n`), Buffer.from([0x4a, 0xfc, 0x72, 0x0a])]));
    await expect(inspectInput(path, 'utf-8')).rejects.toThrow(/not valid UTF-8 at line 40001/);
  });

  it('the BOM is taken off the decoded text only when the mapping says bom: true', async () => {
    const path = file('bom.csv', Buffer.from('\ufeffa,b\n1,2\n'));
    expect(await text(decodedStream(path, 'utf-8', true))).toBe('a,b\n1,2\n');
    expect(await text(decodedStream(path, 'utf-8', false))).toBe('\ufeffa,b\n1,2\n');
  });
});
