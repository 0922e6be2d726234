/**
 * Decimal id blocks: the only id ranges a `%` wildcard can express. A block is aligned on a power
 * of ten within one digit length, e.g. size 1000 at 10012000 covers 10012000..10012999 and is
 * queried as `ACCOUNTNUM=10012%`. A prefix also matches longer ids (`10012%` matches
 * 100120000), so replies are filtered to the block; size 1 is sent as the exact id, never as
 * `10012345%`, which would also match 100123450..100123459.
 */

export interface IdBlock {
  readonly start: number;
  /** A power of ten. */
  readonly size: number;
}

export function digitCount(n: number): number {
  return String(Math.trunc(n)).length;
}

/** The largest block size ids of n's digit length allow: 10^(digits-1). */
export function maxBlockSize(n: number): number {
  return 10 ** (digitCount(n) - 1);
}

export function blockEnd(block: IdBlock): number {
  return block.start + block.size - 1;
}

/** The block of `size` (clamped to the id's digit length) that contains id x. */
export function blockAt(x: number, size: number): IdBlock {
  const s = Math.max(1, Math.min(size, maxBlockSize(x)));
  return { start: Math.floor(x / s) * s, size: s };
}

/** The ACCOUNTNUM value that selects a block: the exact id for size 1, else `prefix%`. */
export function blockQueryValue(block: IdBlock): string {
  const text = String(block.start);
  if (block.size === 1) return text;
  const zeros = Math.round(Math.log10(block.size));
  return `${text.slice(0, text.length - zeros)}%`;
}

/**
 * The blocks that cover (m, end of block] after a full reply whose highest id is m: a reply
 * holds the lowest ids first (README, "Protocol notes", "GET"), so every record up to m is already known. The rest
 * is covered by blocks a tenth of the size, starting with the one that holds m + 1.
 */
export function remainderBlocks(block: IdBlock, m: number): IdBlock[] {
  const end = blockEnd(block);
  if (m >= end || block.size === 1) return [];
  const size = block.size / 10;
  const out: IdBlock[] = [];
  for (let x = Math.max(block.start, Math.floor((m + 1) / size) * size); x <= end; x += size) out.push({ start: x, size });
  return out;
}

/** P(N >= k) for N ~ Poisson(lambda). */
export function poissonTail(lambda: number, k: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let logPmf = -lambda;
  let below = 0;
  for (let n = 0; n < k; n++) {
    if (n > 0) logPmf += Math.log(lambda) - Math.log(n);
    below += Math.exp(logPmf);
  }
  return Math.min(1, Math.max(0, 1 - below));
}

/**
 * Expected requests to read one block of `size` ids at `density` records per id, when a full
 * reply (max-items records, the lowest ids) is followed by blocks a tenth of the size over the
 * rest of the block: a Poisson model, for choosing block sizes, not a promise.
 */
export function blockCost(density: number, size: number, maxItems: number): number {
  if (size <= 1) return 1;
  const lambda = density * size;
  const full = poissonTail(lambda, maxItems);
  if (full < 1e-9) return 1;
  const rest = lambda > maxItems ? 1 - maxItems / lambda : 0;
  const children = Math.max(1, Math.ceil(10 * rest));
  return 1 + full * children * blockCost(density, size / 10, maxItems);
}

/**
 * The block size (a power of ten up to `cap`) with the fewest expected requests per id. Sizes
 * come in steps of ten, so with a small max-items the best block is often one that is sometimes
 * full: a full reply still brings max-items records, and only the rest of its block is re-read.
 */
export function bestBlockSize(density: number, maxItems: number, cap: number): number {
  if (!(density > 0)) return cap;
  let best = 1;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let size = 1; size <= cap; size *= 10) {
    const perId = blockCost(density, size, maxItems) / size;
    // Prefer the smaller block unless the larger one is clearly cheaper: less read past a filter.
    if (perId < bestCost * 0.95) {
      best = size;
      bestCost = perId;
    }
  }
  return best;
}

/**
 * A running estimate of records per id from the replies seen, starting from a prior (the
 * summary's TOTAL over its id span). A full reply counts as max-items records over the ids up
 * to its highest: a lower bound, which is what matters for sizing.
 */
export class DensityEstimate {
  private readonly observations: Array<[count: number, span: number]> = [];

  constructor(
    prior: number,
    priorSpan: number,
    private readonly keep = 16,
  ) {
    if (prior > 0 && priorSpan > 0) this.observations.push([prior * priorSpan, priorSpan]);
  }

  observe(count: number, span: number): void {
    if (!(span > 0)) return;
    this.observations.push([count, span]);
    if (this.observations.length > this.keep) this.observations.shift();
  }

  value(): number {
    let count = 0;
    let span = 0;
    for (const [c, s] of this.observations) {
      count += c;
      span += s;
    }
    return span === 0 ? 0 : count / span;
  }
}

/**
 * The next root block's size at `x`: the best size for the estimated density, but only as large
 * as x's alignment allows (blocks never overlap), and within x's digit length.
 */
export function nextRootSize(x: number, density: number, maxItems: number): number {
  let size = bestBlockSize(density, maxItems, maxBlockSize(x));
  while (size > 1 && x % size !== 0) size /= 10;
  return size;
}
