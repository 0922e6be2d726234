/**
 * wapi-bulk as a library: the same pieces the CLI is built from.
 */
export { WapiClient, type ClientConnection, type ClientOptions, type ClientStats, type SendOptions } from './client/wapi-client.js';
export type { PacingStats } from './client/pacer.js';
export type { Transport } from './client/transport.js';
export { startEmulator, type EmulatorOptions, type Fixtures, type RunningEmulator } from './emulator/index.js';
export { exportRecords, type ExportOptions, type ExportSummary } from './export/export-records.js';
export { importCsv, type ImportOptions, type ImportSummary } from './import/import-csv.js';
export { loadMapping, parseMapping } from './mapping/load-mapping.js';
export { reconcile, type ReconcileOptions, type ReconcileProgress } from './reconcile/reconcile.js';
export type { ReconcileSummary, ReconcileStrategy } from './reconcile/reconcile-summary.js';
export { applyMapping } from './mapping/apply-mapping.js';
export { validateRecord } from './mapping/validate-record.js';
export { CATALOGUE, fieldDef, objectDef, replyFields, type FieldDef, type ObjectDef, type ObjectName } from './protocol/catalogue.js';
export { ApiRejection, ConfigError, TransportError, WapiBulkError, type ErrorCode } from './protocol/errors.js';
export { buildCommand, buildRequest, type Credentials, type WapiCommand } from './protocol/request.js';
export { parseReply, replyId, replySummary, type WapiReply } from './protocol/reply.js';
