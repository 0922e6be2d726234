import { basename, dirname, extname, join } from 'node:path';

export interface OutputPaths {
  readonly csv: string;
  readonly errors: string;
  readonly summary: string;
  /** report.html for people, beside the files it summarises. */
  readonly report: string;
}

/** `customers.csv` -> `customers.errors.csv`, `customers.summary.json`, in the same folder. */
export function outputPaths(out: string): OutputPaths {
  const ext = extname(out);
  const stem = basename(out, ext.toLowerCase() === '.csv' ? ext : '');
  const dir = dirname(out);
  return { csv: out, errors: join(dir, `${stem}.errors.csv`), summary: join(dir, `${stem}.summary.json`), report: join(dir, `${stem}.report.html`) };
}
