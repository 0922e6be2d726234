/** The mapping layer: load a mapping file, check a CSV header, map and validate rows. */
export { loadMapping, parseMapping } from './load-mapping.js';
export { checkHeader, mappingColumns } from './check-header.js';
export { applyMapping } from './apply-mapping.js';
export { fieldsForAction } from './fields-for-action.js';
export { validateRecord, type FieldProblem, type ValidateOptions } from './validate-record.js';
export { RowError, type RowStage } from './row-error.js';
export { MappingError, type MappingProblem } from './mapping-problem.js';
export { mappingSchema, mappingJsonSchema } from './schema.js';
export type { CustomFieldDef, StatusUsability, TenantLists } from './tenant-lists.js';
export type * from './types.js';
