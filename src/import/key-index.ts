/**
 * The first row each key was seen on, for finding repeated keys in one pass over a file (found
 * in review: a key twice in a file was "added" then "modified" without a word). Keys are kept as
 * 64-bit hashes in typed arrays (12 bytes a slot, at most half the slots full: some 25 MB for a
 * million-row file, rather than the ~100 MB of a Map of strings). Two different keys with the
 * same 64-bit hash would be reported as a repeat of each other: with a million keys the odds are
 * about 1 in 10^13, and the report names the first row, where a person would see the keys differ.
 */

/** Two independent 32-bit hashes of a string (cyrb53's mixing, both halves kept). */
function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

export class KeyIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** 0: empty slot; else the row number (a file has fewer than 2^32 rows). */
  private rows: Uint32Array;
  private size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.rows = new Uint32Array(slots);
  }

  /** How many distinct keys are held. */
  get count(): number {
    return this.size;
  }

  /**
   * The row `key` was first seen on, or undefined when this is its first time (and `row` is
   * recorded as its first). Rows must be positive.
   */
  firstRow(key: string, row: number): number | undefined {
    const [h, l] = hash64(key);
    const mask = this.rows.length - 1;
    for (let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const at = this.rows[i] as number;
      if (at === 0) {
        this.hi[i] = h;
        this.lo[i] = l;
        this.rows[i] = row;
        if (++this.size * 2 > this.rows.length) this.grow();
        return undefined;
      }
      if (this.hi[i] === h && this.lo[i] === l) return at;
    }
  }

  private grow(): void {
    const { hi, lo, rows } = this;
    const slots = rows.length * 2;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.rows = new Uint32Array(slots);
    const mask = slots - 1;
    for (let j = 0; j < rows.length; j++) {
      const row = rows[j] as number;
      if (row === 0) continue;
      const h = hi[j] as number;
      const l = lo[j] as number;
      let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
      while ((this.rows[i] as number) !== 0) i = (i + 1) & mask;
      this.hi[i] = h;
      this.lo[i] = l;
      this.rows[i] = row;
    }
  }
}
