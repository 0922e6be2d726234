import { WapiBulkError } from '../protocol/errors.js';

/** The step of the per-row pipeline where a row failed (the error file's `stage` column). */
export type RowStage = 'map' | 'validate' | 'reference' | 'send';

export interface RowErrorOptions {
  readonly stage: RowStage;
  /** The CRM tag concerned, when there is one. */
  readonly field?: string;
  /** The CSV column the value came from, when there is one. */
  readonly column?: string;
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * A row that cannot be imported. A bad row is data, not a crash (STYLE.md): the importer writes
 * it to the error file with its stage and message and goes on.
 */
export class RowError extends WapiBulkError {
  readonly stage: RowStage;
  readonly field: string | undefined;
  readonly column: string | undefined;

  constructor(message: string, options: RowErrorOptions) {
    super('ROW_INVALID', message, {
      hint: options.hint,
      cause: options.cause,
      details: { stage: options.stage, field: options.field, column: options.column },
    });
    this.name = 'RowError';
    this.stage = options.stage;
    this.field = options.field;
    this.column = options.column;
  }
}
