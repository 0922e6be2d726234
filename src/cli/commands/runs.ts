import { resolve } from 'node:path';
import type { Register } from '../program.js';
import { DEFAULT_STATE_FILE, StateStore, liveHolder, type RunInfo } from '../../state/state-store.js';
import { undoProgress } from '../../undo/undo-run.js';

interface RunsFlags {
  state?: string;
  json?: boolean;
}

/** How much of an import run undo has taken back. */
function undoState(state: StateStore, run: RunInfo): string | undefined {
  if (run.kind !== 'import') return undefined;
  const { rows, undone } = undoProgress(state, run.id);
  if (rows === 0) return 'nothing to undo (it added and modified nothing)';
  if (undone === 0) return `can be undone (${rows} rows: wapi-bulk undo --run ${run.id})`;
  return undone === rows ? `undone (${rows} rows)` : `partly undone (${undone} of ${rows} rows: wapi-bulk undo --run ${run.id} continues)`;
}

function counts(run: RunInfo): string {
  const s = run.summary ?? {};
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k]) : 0);
  if (!('rows' in s)) return '';
  if (run.kind === 'undo') return `${n('rows')} rows, ${n('deleted')} deleted, ${n('restored')} restored, ${n('gone')} already gone, ${n('refused')} refused, ${n('failed')} failed`;
  const parts = [`${n('rows')} rows`, `${n('added')} added`, `${n('modified')} modified`];
  if (n('unchanged')) parts.push(`${n('unchanged')} unchanged`);
  if (n('skipped')) parts.push(`${n('skipped')} skipped`);
  parts.push(`${n('failed')} failed`);
  if (n('pending')) parts.push(`${n('pending')} pending`);
  return parts.join(', ');
}

/** What a person reads of a run's status: a `running` run whose process died is interrupted. */
function statusOf(run: RunInfo): string {
  if (run.status === 'running' && !liveHolder(run)) return 'interrupted (its process is gone)';
  return run.status;
}

/**
 * `wapi-bulk runs`: the runs a state file holds, newest first, like `sf data bulk results`:
 * mapping, input, CRM, when, how it ended, counts, and the folder of its reports.
 */
export const registerRuns: Register = (program, context) => {
  program
    .command('runs')
    .description('list the import and undo runs of a state file: mapping, input, tenant, status, counts, report folder')
    .option('--state <file>', `the state file (default: ${DEFAULT_STATE_FILE})`)
    .option('--json', 'one JSON document instead of a table')
    .action((flags: RunsFlags) => {
      const file = resolve(flags.state ?? DEFAULT_STATE_FILE);
      const state = StateStore.open(file, { readonly: true });
      try {
        const runs = state.runs();
        if (flags.json) {
          context.stdout.write(`${JSON.stringify(runs.map((r) => ({ ...r, status: statusOf(r) })), null, 2)}\n`);
          return;
        }
        if (runs.length === 0) {
          context.stdout.write(`no runs in ${file}\n`);
          return;
        }
        for (const run of runs) {
          const what = run.kind === 'undo' ? `undo of run ${run.undoOf}` : `${run.mapping} (${run.object.toLowerCase()} ${run.action})`;
          const rows = counts(run);
          const undo = undoState(state, run);
          context.stdout.write(
            [
              `run ${run.id}: ${what}, ${statusOf(run)}`,
              `  input:   ${run.input}`,
              `  tenant:  ${run.scope.tenant} at ${run.scope.endpoint}`,
              `  started: ${run.startedAt}${run.finishedAt ? `, ended ${run.finishedAt}` : ''}`,
              ...(rows ? [`  rows:    ${rows}`] : []),
              ...(undo ? [`  undo:    ${undo}`] : []),
              ...(run.outDir ? [`  reports: ${run.outDir}`] : []),
            ].join('\n') + '\n',
          );
        }
      } finally {
        state.close();
      }
    });
};
