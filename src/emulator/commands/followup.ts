import { CATALOGUE } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import { checkWriteTags } from '../check-tags.js';
import type { StoredRow } from '../store.js';
import { ok, type CommandContext, type Handler } from './context.js';
import { mustGet, nowIso } from './records.js';

const CLASSIFICATION = ['STATUS', 'PRIORITY', 'SEVERITY', 'PROJECT', 'CATEGORY', 'VISIBILITY', 'MEDIATYPE', 'ASSIGNEDTO'];

/**
 * Insert a follow-up of a case; returns its FOLLOWUPNUM. The guide's GET reply shows a
 * follow-up with FOLLOWUPNUM 3 and FOLLOWUPID 5, and DELETE names a follow-up by CASENUM and
 * FOLLOWUPNUM together: FOLLOWUPNUM counts within its case, FOLLOWUPID across the tenant.
 * A follow-up records the case's classification unless it sends its own.
 */
export function insertFollowup(
  ctx: CommandContext,
  caseRow: StoredRow,
  values: Map<string, string | null>,
  custom: Record<string, string>,
): number {
  values.set('CASENUM', String(caseRow.id));
  for (const tag of CLASSIFICATION) {
    if (!values.has(tag)) values.set(tag, (caseRow[tag] as string | null) ?? null);
  }
  const num = ctx.store.takeFollowupNum(caseRow.id);
  ctx.store.insert('FOLLOWUP', ctx.store.takeId('FOLLOWUP'), values, custom, { num });
  return num;
}

const add: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FOLLOWUP, 'ADD', tags, ctx.tenant);
  const caseRow = mustGet(ctx, 'CASE', checked.raw.get('CASENUM') as string, (v) => E.caseId(v));
  const now = nowIso(ctx);
  const values = new Map<string, string | null>(checked.standard);
  values.set('ATTACHMENTS', '0').set('CREATEDBY', ctx.user.identity).set('CREATEDDATE', now);
  const num = insertFollowup(ctx, caseRow, values, Object.fromEntries(checked.custom));
  ctx.store.update('CASE', caseRow.id, new Map([['LASTACTDATE', now]]), undefined);
  return ok({ values: [['FOLLOWUPNUM', String(num)]] });
};

const remove: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FOLLOWUP, 'DELETE', tags, ctx.tenant);
  const casenum = checked.raw.get('CASENUM') as string;
  const followupnum = checked.raw.get('FOLLOWUPNUM') as string;
  const caseRow = mustGet(ctx, 'CASE', casenum, (v) => E.caseId(v));
  const deleted = /^\d{1,15}$/.test(followupnum)
    ? ctx.store.prepared('DELETE FROM followup WHERE CASENUM = ? AND num = ?').run(String(caseRow.id), Number(followupnum)).changes
    : 0;
  if (deleted === 0) throw E.aliasValue('FOLLOWUPNUM', followupnum);
  return ok();
};

export const followupHandlers: Partial<Record<string, Handler>> = { ADD: add, DELETE: remove };
