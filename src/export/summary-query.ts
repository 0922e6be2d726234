import { rangeSummary, type RangeSummary } from '../protocol/reply.js';
import type { PlanContext } from './plan-types.js';

/**
 * The empty GET's FIRSTID/LASTID/TOTAL (CUSTOMER, CASE, TASK), read as every summary is
 * (rangeSummary). A failure here stops the export before it starts: without the summary there
 * is nothing to plan.
 */
export async function readSummary(ctx: PlanContext): Promise<RangeSummary> {
  ctx.stats.ranges++;
  const items = await ctx.query([]);
  return rangeSummary(items[0]);
}
