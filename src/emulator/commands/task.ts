import { CATALOGUE } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import { checkWriteTags } from '../check-tags.js';
import { ok, type Handler } from './context.js';
import { checkUnique, deleteWhere, diff, mustGet, nowIso, withDefaults } from './records.js';

const add: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.TASK, 'ADD', tags, ctx.tenant);
  const account = checked.raw.get('ACCOUNTNUM') as string;
  if (!ctx.store.get('CUSTOMER', account)) throw E.aliasValue('ACCOUNTNUM', account);
  // "REMINDER needs to be used with DUEDATE"
  if (checked.standard.has('REMINDER') && !checked.standard.has('DUEDATE')) throw E.inputTagNotPassed('DUEDATE');
  checkUnique(ctx, 'TASK', checked);
  const values = withDefaults('TASK', new Map<string, string | null>(checked.standard));
  // "If the value is not passed, the value of USERNAME is used": the API user's identity agent.
  if (!values.has('ASSIGNEDTO')) values.set('ASSIGNEDTO', ctx.user.identity);
  if (!values.has('CREATEDBY')) values.set('CREATEDBY', ctx.user.identity);
  const now = nowIso(ctx);
  values.set('CREATEDDATE', now).set('LASTMODDATE', now);
  const id = ctx.store.takeId('TASK');
  ctx.store.insert('TASK', id, values, Object.fromEntries(checked.custom));
  return ok({ values: [['TASKNUM', String(id)]] });
};

const modify: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.TASK, 'MODIFY', tags, ctx.tenant);
  const row = mustGet(ctx, 'TASK', checked.raw.get('TASKNUM') as string, (v) => E.aliasValue('TASKNUM', v));
  if (checked.standard.has('REMINDER') && !checked.standard.has('DUEDATE') && !row['DUEDATE']) {
    throw E.inputTagNotPassed('DUEDATE');
  }
  checkUnique(ctx, 'TASK', checked, row.id);
  const { changed, custom } = diff(row, checked, 'TASKNUM');
  // "If no value is modified, a reply status of 0 is returned but the task is left unchanged"
  if (changed.size > 0 || custom !== undefined) {
    changed.set('LASTMODDATE', nowIso(ctx));
    ctx.store.update('TASK', row.id, changed, custom);
  }
  return ok({ values: [['TASKNUM', String(row.id)]] });
};

const remove: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.TASK, 'DELETE', tags, ctx.tenant);
  const row = mustGet(ctx, 'TASK', checked.raw.get('TASKNUM') as string, (v) => E.aliasValue('TASKNUM', v));
  deleteWhere(ctx, 'TASK', 'id', row.id);
  return ok();
};

export const taskHandlers: Partial<Record<string, Handler>> = { ADD: add, MODIFY: modify, DELETE: remove };
