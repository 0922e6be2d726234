/**
 * "Did you mean ...?" for names a person typed: mapping keys and field tags. Found in review: the
 * hint fired for E_MAIL but not for EMIAL (two letters swapped) or COMPANYNAME (a longer
 * spelling of COMPANY).
 */

/** Edit distance with adjacent transpositions (optimal string alignment): EMIAL -> EMAIL is 1. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[(i - 1) * cols + j] as number) + 1, (d[i * cols + j - 1] as number) + 1, (d[(i - 1) * cols + j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[(i - 2) * cols + j - 2] as number) + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1] as number;
}

const squash = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * The candidate a typed name most probably meant, or undefined: the same letters without
 * punctuation (FIRST_NAME -> FIRSTNAME), a small edit distance (a quarter of the length, at
 * least 1, at most 3), or a prefix of at least four letters either way (COMPANYNAME -> COMPANY).
 */
export function didYouMean(typed: string, candidates: Iterable<string>): string | undefined {
  const t = squash(typed);
  if (t === '') return undefined;
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  const limit = Math.min(3, Math.max(1, Math.floor(t.length / 4)));
  for (const candidate of candidates) {
    const c = squash(candidate);
    if (c === '' ) continue;
    let score: number;
    if (c === t) score = 0;
    else {
      const d = editDistance(t, c);
      if (d <= limit) score = d;
      else if (Math.min(t.length, c.length) >= 4 && (t.startsWith(c) || c.startsWith(t))) score = limit + 0.5 + Math.abs(t.length - c.length) / 100;
      else continue;
    }
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
