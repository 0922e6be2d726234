/** A RunReport to start tests from: an import of 10 rows, 2 failed, with a short timeline. */
import type { RunReport } from '../../../src/report/run-report/index.js';

export function importReport(overrides: Partial<Extract<RunReport, { kind: 'import' }>> = {}): Extract<RunReport, { kind: 'import' }> {
  return {
    kind: 'import',
    title: 'customers: import of customers.csv',
    settings: [
      { name: 'endpoint', value: 'http://127.0.0.1:8088/WAPI/wapi.php' },
      { name: 'tenant', value: 'AcmeJets' },
      { name: 'mapping', value: 'mappings/customers.yaml' },
    ],
    status: 'partial',
    exitCode: 1,
    startedAt: '2024-03-01T09:00:00.000Z',
    finishedAt: '2024-03-01T09:00:06.000Z',
    elapsedMs: 6000,
    counts: { rows: 10, added: 5, modified: 2, unchanged: 1, skipped: 0, deleted: 0, validated: 0, failed: 2, pending: 0 },
    extraCounts: [{ label: 'requests', value: 25 }],
    timeline: [
      { startMs: 0, endMs: 2000, rows: 4, requests: 10, retries: 0, throttled: 0 },
      { startMs: 2000, endMs: 4000, rows: 4, requests: 10, retries: 2, throttled: 1 },
      { startMs: 4000, endMs: 6000, rows: 2, requests: 5, retries: 0, throttled: 0 },
    ],
    errorGroups: [
      {
        code: 'ROW_INVALID',
        count: 2,
        message: 'EMAIL: "x" must be one address',
        distinctMessages: 1,
        examples: [{ row: '3', key: '1003', stage: 'validate', message: 'EMAIL: "x" must be one address', values: [['email', 'x']] }],
      },
    ],
    errorsFile: { label: 'errors.csv', href: 'errors.csv' },
    links: [
      { label: 'success.csv', href: 'success.csv' },
      { label: 'errors.csv', href: 'errors.csv' },
    ],
    ...overrides,
  };
}
