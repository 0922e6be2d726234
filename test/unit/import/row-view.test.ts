/**
 * A row as a mapping reads it. Found in review: the view kept its fields under the name `f`, so
 * a CSV with a column `f` was "internal error: Cannot set property f"; any column name must read.
 */
import { describe, expect, it } from 'vitest';
import { rowViewClass } from '../../../src/import/row-processor.js';

describe('rowViewClass', () => {
  it('reads columns named like its own internals or like Object members', () => {
    const header = ['f', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'id'];
    const RowView = rowViewClass(header);
    const row = new RowView(['1', '2', '3', '4', '5', '6']);
    expect(header.map((name) => row[name])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(new RowView(['a', 'b', 'c', 'd', 'e', 'f'])['f']).toBe('a');
  });

  it('reads the last of a repeated column name', () => {
    const RowView = rowViewClass(['a', 'b', 'a']);
    expect(new RowView(['1', '2', '3'])['a']).toBe('3');
  });
});
