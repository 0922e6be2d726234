import { CATALOGUE } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import { checkWriteTags } from '../check-tags.js';
import { TABLE } from '../store.js';
import { ok, type Handler } from './context.js';
import { mustGet, nowIso } from './records.js';

const CLASSIFICATION = ['STATUS', 'PRIORITY', 'SEVERITY', 'PROJECT', 'CATEGORY', 'VISIBILITY', 'MEDIATYPE', 'ASSIGNEDTO'];

/** A follow-up records the case's classification unless it sends its own. */
const add: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FOLLOWUP, 'ADD', tags, ctx.tenant);
  const caseRow = mustGet(ctx, 'CASE', checked.raw.get('CASENUM') as string, (v) => E.caseId(v));
  const values = new Map<string, string | null>(checked.standard);
  values.set('CASENUM', String(caseRow.id));
  for (const tag of CLASSIFICATION) {
    if (!values.has(tag)) values.set(tag, (caseRow[tag] as string | null) ?? null);
  }
  const now = nowIso(ctx);
  values.set('ATTACHMENTS', '0').set('CREATEDBY', ctx.user.identity).set('CREATEDDATE', now);
  const id = ctx.store.takeId('FOLLOWUP');
  ctx.store.insert('FOLLOWUP', id, values, Object.fromEntries(checked.custom));
  ctx.store.update('CASE', caseRow.id, new Map([['LASTACTDATE', now]]), undefined);
  return ok({ values: [['FOLLOWUPNUM', String(id)]] });
};

const remove: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FOLLOWUP, 'DELETE', tags, ctx.tenant);
  const casenum = checked.raw.get('CASENUM') as string;
  const followupnum = checked.raw.get('FOLLOWUPNUM') as string;
  mustGet(ctx, 'CASE', casenum, (v) => E.caseId(v));
  const row = ctx.store.get('FOLLOWUP', followupnum);
  if (!row || row['CASENUM'] !== String(Number(casenum))) throw E.aliasValue('FOLLOWUPNUM', followupnum);
  ctx.store.prepared(`DELETE FROM ${TABLE.FOLLOWUP} WHERE id = ?`).run(row.id);
  return ok();
};

export const followupHandlers: Partial<Record<string, Handler>> = { ADD: add, DELETE: remove };
