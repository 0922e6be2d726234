/**
 * Errors grouped by code for report.html, taken one by one as a run writes them (or as
 * errors.csv is read back), with bounded memory: a count per code, the first message, and a few
 * example rows cut to a readable length. Codes past `maxCodes` are counted, not itemised, and the
 * page says so.
 */

export interface ErrorRow {
  /** The row number in the input (errors.csv's `row`), or a range/query for an export. */
  readonly row: number | string;
  /** The row's key (errors.csv's `key`). */
  readonly key?: string;
  readonly code: string;
  readonly stage?: string;
  readonly message: string;
  /**
   * The row's original columns, for the examples; secrets are blanked when rendered. A function
   * is called only for the few rows kept as examples (a run may fail millions of rows).
   */
  readonly values?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
}

export interface ErrorExample {
  readonly row: string;
  readonly key: string;
  readonly stage: string;
  readonly message: string;
  readonly values: readonly (readonly [column: string, value: string])[];
}

export interface ErrorGroup {
  readonly code: string;
  readonly count: number;
  /** The first message seen with this code. */
  readonly message: string;
  /** How many different messages the code had, up to `maxMessages` (then "at least"). */
  readonly distinctMessages: number;
  readonly examples: readonly ErrorExample[];
}

export interface ErrorGrouperOptions {
  readonly examplesPerCode?: number;
  readonly maxCodes?: number;
  /** Longer messages and values are cut, with an ellipsis. */
  readonly maxChars?: number;
  /** Columns of a row shown in an example. */
  readonly maxValues?: number;
}

interface Group {
  count: number;
  message: string;
  messages: Set<string>;
  examples: ErrorExample[];
}

/** Distinct messages remembered per code, to say "12 different messages" without keeping them all. */
const MAX_MESSAGES = 100;

export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${Array.from(text.slice(0, max + 1)).slice(0, max - 1).join('')}…`;
}

export class ErrorGrouper {
  private readonly groupsByCode = new Map<string, Group>();
  private readonly examplesPerCode: number;
  private readonly maxCodes: number;
  private readonly maxChars: number;
  private readonly maxValues: number;
  private notGrouped = 0;
  private all = 0;

  constructor(options: ErrorGrouperOptions = {}) {
    this.examplesPerCode = Math.max(0, options.examplesPerCode ?? 3);
    this.maxCodes = Math.max(1, options.maxCodes ?? 50);
    this.maxChars = Math.max(20, options.maxChars ?? 300);
    this.maxValues = Math.max(0, options.maxValues ?? 12);
  }

  add(error: ErrorRow): void {
    this.all++;
    const code = error.code === '' ? '(no code)' : error.code;
    let group = this.groupsByCode.get(code);
    if (!group) {
      if (this.groupsByCode.size >= this.maxCodes) {
        this.notGrouped++;
        return;
      }
      group = { count: 0, message: cut(error.message, this.maxChars), messages: new Set(), examples: [] };
      this.groupsByCode.set(code, group);
    }
    group.count++;
    if (group.messages.size < MAX_MESSAGES) group.messages.add(cut(error.message, this.maxChars));
    if (group.examples.length < this.examplesPerCode) {
      const values = Object.entries((typeof error.values === 'function' ? error.values() : error.values) ?? {})
        .slice(0, this.maxValues)
        .map(([column, value]) => [cut(column, this.maxChars), cut(value, this.maxChars)] as const);
      group.examples.push({
        row: String(error.row),
        key: cut(error.key ?? '', this.maxChars),
        stage: error.stage ?? '',
        message: cut(error.message, this.maxChars),
        values,
      });
    }
  }

  /** Every error added, grouped or not. */
  get total(): number {
    return this.all;
  }

  /** Errors whose code came after the cap of codes: counted, not itemised. */
  get ungrouped(): number {
    return this.notGrouped;
  }

  /** The groups, most frequent first (then by code). */
  groups(): ErrorGroup[] {
    return [...this.groupsByCode.entries()]
      .map(([code, g]) => ({ code, count: g.count, message: g.message, distinctMessages: g.messages.size, examples: g.examples }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }
}
