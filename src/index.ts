/**
 * wapi-bulk as a library (the package's `.` entry): the same pieces the CLI is built from.
 * The emulator is a separate entry, `wapi-bulk/emulator` (src/emulator/index.ts): nothing
 * here loads it (test/unit/package/exports.test.ts).
 */

// The client.
export { WapiClient, type ClientConnection, type ClientOptions, type ClientStats, type SendOptions } from './client/wapi-client.js';
export type { PacingStats } from './client/pacer.js';
export type { Transport } from './client/transport.js';

// The four jobs.
export { importCsv, type ImportMode, type ImportOptions, type ImportProgress, type ImportSummary } from './import/import-csv.js';
export { exportRecords, type ExportOptions, type ExportSummary } from './export/export-records.js';
export { reconcile, type ReconcileOptions, type ReconcileProgress } from './reconcile/reconcile.js';
export type { ReconcileStatus, ReconcileStrategy, ReconcileSummary } from './reconcile/reconcile-summary.js';
export { undoRuns, type UndoOptions, type UndoSummary, type UndoCounts } from './undo/undo-run.js';

// Mappings: load, check, apply, validate.
export {
  applyMapping,
  checkHeader,
  loadMapping,
  mappingJsonSchema,
  parseMapping,
  validateRecord,
  type CustomFieldDef,
  type FieldProblem,
  type MappingProblem,
  type StatusUsability,
  type TenantLists,
  type ValidateOptions,
} from './mapping/index.js';
export type { FieldMapping, Mapping, MappedRow, MappingAction, MappingObject } from './mapping/types.js';

// Errors: match on `code`, show `message`.
export { ApiRejection, ConfigError, isWapiBulkError, TransportError, WapiBulkError, type ErrorCode } from './protocol/errors.js';
export { MappingError, RowError, type RowStage } from './mapping/index.js';

// The run report (report.html).
export {
  renderRunReport,
  writeRunReport,
  type DifferingField,
  type ExportCounts,
  type ImportCounts,
  type ReconcileCounts,
  type RunKind,
  type RunLink,
  type RunReport,
  type RunSetting,
  type RunStatus,
  type UndoCounts as UndoReportCounts,
} from './report/run-report/index.js';

// The wire: the field catalogue, requests, replies.
export { CATALOGUE, fieldDef, objectDef, replyFields, type FieldDef, type FieldFormat, type ObjectDef, type ObjectName } from './protocol/catalogue.js';
export { buildCommand, buildRequest, type Credentials, type WapiCommand } from './protocol/request.js';
export { parseReply, rangeSummary, replyId, replySummary, type RangeSummary, type WapiReply } from './protocol/reply.js';
