import { stopsTheWalk, type PlanContext, type Tag } from './plan-types.js';

/** A repeated-tag OR: records whose `tag` is any of `values`. */
export interface Partition {
  readonly tag: string;
  readonly values: readonly string[];
}

/**
 * The tags a full single-day window of cases or tasks is split by, in order, each with a value
 * set whose OR covers every record of the slice:
 * - ASSIGNEDTO: the active agents (LIST AGENTS), the active groups (LIST GROUPS), `None` (no
 *   assignee), `Deleted Groups`, and `Deleted Agents` where the slice does not already leave
 *   those out (a task slice without ASSIGNEDTO excludes them; see plan-windows.ts). Every
 *   assignee the API accepts is one of these.
 * - CREATEDBY: active agents, active groups and `Customers` (no creator). `Deleted Agents` is
 *   its own slice. A creator that is a deleted group cannot be named in a GET at all, so such a
 *   record would be missed here; the count check against TOTAL reports it.
 * STATUS, PRIORITY, SEVERITY, CATEGORY, PROJECT, TASK_STATUS, CALL_TYPE and MEDIA_TYPE are not
 * used: a GET accepts only active values ("must be one valid status (not deactivated)"), a
 * record keeps a value deactivated after it was set (the tenant's Escalated status), and an
 * empty value cannot be asked for, so their OR never provably covers a day.
 */
export async function partitionLadder(ctx: PlanContext, object: 'CASE' | 'TASK', sliceTags: readonly Tag[]): Promise<Partition[]> {
  let agents: string[];
  let groups: string[];
  try {
    const [agentItems, groupItems] = await Promise.all([ctx.send('AGENTS', 'LIST', []), ctx.send('GROUPS', 'LIST', [])]);
    agents = agentItems.map((i) => i['AGENTID'] ?? '').filter((v) => v !== '');
    groups = groupItems.map((i) => i['GROUPID'] ?? '').filter((v) => v !== '');
  } catch (error) {
    // A refused login or a missing right stops the export, as it does everywhere (found in
    // review: swallowed here, it quietly turned a day's walk into one GET per id).
    if (stopsTheWalk(error)) throw error;
    const code = (error as { code?: unknown }).code;
    // Without the lists there is no provable partition: go straight to exact ids, and say so.
    ctx.warn?.(`LIST AGENTS/GROUPS failed (${error instanceof Error ? error.message : String(code)}): a crowded day of ${object.toLowerCase()}s is read one id at a time`);
    return [];
  }
  const fixed = new Set(sliceTags.map(([tag]) => tag));
  const ladder: Partition[] = [];
  if (!fixed.has('ASSIGNEDTO')) {
    // Tasks hide those assigned to deleted agents unless ASSIGNEDTO is sent: naming them here
    // would reach into another slice.
    const deleted = object === 'CASE' ? ['Deleted Agents'] : [];
    ladder.push({ tag: 'ASSIGNEDTO', values: [...agents, ...groups, 'None', 'Deleted Groups', ...deleted] });
  }
  if (!fixed.has('CREATEDBY')) ladder.push({ tag: 'CREATEDBY', values: [...agents, ...groups, 'Customers'] });
  return ladder;
}
