import type { ErrorGroup } from './run-report/error-grouper.js';

/** Failed rows grouped by code, as lines for a terminal: what to look at first in errors.csv. */
export function formatErrorGroups(groups: readonly ErrorGroup[], notGrouped = 0): string {
  if (groups.length === 0) return '';
  const out: string[] = ['failures by code (every one is in errors.csv):'];
  for (const group of groups) {
    out.push(`  ${group.code}: ${group.count} row${group.count === 1 ? '' : 's'}`);
    for (const e of group.examples) out.push(`    row ${e.row} (${e.key}), ${e.stage}: ${e.message}`);
    if (group.count > group.examples.length) out.push(`    ... and ${group.count - group.examples.length} more`);
  }
  if (notGrouped > 0) out.push(`  ... and ${notGrouped} rows with other codes`);
  return `${out.join('\n')}\n`;
}
