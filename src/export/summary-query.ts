import type { RangeSummary } from '../protocol/reply.js';
import type { PlanContext } from './plan-types.js';

/**
 * The empty GET's FIRSTID/LASTID/TOTAL (CUSTOMER, CASE, TASK). A failure here stops the export
 * before it starts: without the summary there is nothing to plan.
 */
export async function readSummary(ctx: PlanContext): Promise<RangeSummary> {
  ctx.stats.ranges++;
  const items = await ctx.query([]);
  const item = items[0] ?? {};
  const num = (v: string | undefined): number => (v === undefined || v.trim() === '' ? 0 : Number(v.trim()));
  return { firstId: num(item['FIRSTID']), lastId: num(item['LASTID']), total: num(item['TOTAL']) };
}
