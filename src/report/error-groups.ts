/** Failed rows grouped by error code, with a few examples each: bounded however many rows fail. */
export interface ErrorExample {
  readonly row: number;
  readonly key: string;
  readonly stage: string;
  readonly error: string;
}

export interface ErrorGroup {
  readonly code: string;
  count: number;
  readonly examples: ErrorExample[];
}

export class ErrorGroups {
  private readonly groups = new Map<string, ErrorGroup>();

  constructor(private readonly examplesPerCode = 3) {}

  add(code: string, example: ErrorExample): void {
    let group = this.groups.get(code);
    if (!group) this.groups.set(code, (group = { code, count: 0, examples: [] }));
    group.count++;
    // Keep the lowest rows: rows finish out of order, a person reads from the top.
    if (group.examples.length < this.examplesPerCode) group.examples.push(example);
    else {
      const last = group.examples.reduce((a, b) => (a.row > b.row ? a : b));
      if (example.row < last.row) group.examples[group.examples.indexOf(last)] = example;
    }
  }

  /** Largest group first; examples in row order. */
  list(): ErrorGroup[] {
    return [...this.groups.values()]
      .map((g) => ({ ...g, examples: [...g.examples].sort((a, b) => a.row - b.row) }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }
}

/** The groups as lines for a terminal: what to look at first in errors.csv. */
export function formatErrorGroups(groups: readonly ErrorGroup[]): string {
  if (groups.length === 0) return '';
  const out: string[] = ['failures by code (every one is in errors.csv):'];
  for (const group of groups) {
    out.push(`  ${group.code}: ${group.count} row${group.count === 1 ? '' : 's'}`);
    for (const e of group.examples) out.push(`    row ${e.row} (${e.key}), ${e.stage}: ${e.error}`);
    if (group.count > group.examples.length) out.push(`    ... and ${group.count - group.examples.length} more`);
  }
  return `${out.join('\n')}\n`;
}
