/** report.html: the run report of import, export, reconcile and undo. */
export type { RunReport, RunKind, RunStatus, RunSetting, RunLink, ImportCounts, ExportCounts, ReconcileCounts, UndoCounts, DifferingField } from './run-report.js';
export { runStatusOf } from './run-report.js';
export { renderRunReport, inconsistencies } from './render-run-report.js';
export { writeRunReport } from './write-run-report.js';
export { ThroughputRecorder, type ThroughputCounters, type ThroughputSample, type ThroughputRecorderOptions } from './throughput-recorder.js';
export { ErrorGrouper, type ErrorRow, type ErrorGroup, type ErrorExample, type ErrorGrouperOptions } from './error-grouper.js';
export { isSecretName } from './secret-names.js';
