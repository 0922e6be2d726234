import { randomBytes } from 'node:crypto';
import { CATALOGUE } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import { checkWriteTags } from '../check-tags.js';
import { ok, type CommandContext, type Handler } from './context.js';
import { checkUnique, deleteWhere, diff, mustGet, nowIso, withDefaults } from './records.js';

/** "If it is True the PASSWORD parameter is ignored": the server makes one up. */
function generatePassword(): string {
  return randomBytes(6).toString('base64').replace(/[^A-Za-z0-9]/g, '_');
}

function checkAutopasswd(standard: Map<string, string>, required: boolean): void {
  const auto = standard.get('AUTOPASSWD');
  if (auto === 'TRUE' && standard.has('PASSWORD')) throw E.inconsistentAutopasswd();
  if (auto === 'FALSE' && !standard.has('PASSWORD')) throw E.passwordMissing();
  if (required && auto === undefined) throw E.autopasswdMissing();
}

const add: Handler = (ctx, tags) => {
  const checked = checkWriteTags(ctxObject(), 'ADD', tags, ctx.tenant);
  checkAutopasswd(checked.standard, true);
  checkUnique(ctx, 'CUSTOMER', checked);
  const values = withDefaults('CUSTOMER', new Map<string, string | null>(checked.standard));
  if (values.get('AUTOPASSWD') === 'TRUE') values.set('PASSWORD', generatePassword());
  const now = nowIso(ctx);
  values.set('CREATEDDATE', now).set('LASTMODDATE', now);
  const id = ctx.store.takeId('CUSTOMER');
  ctx.store.insert('CUSTOMER', id, values, Object.fromEntries(checked.custom));
  return ok({ items: [[['ACCOUNTNUM', String(id)]]] });
};

const modify: Handler = (ctx, tags) => {
  const checked = checkWriteTags(ctxObject(), 'MODIFY', tags, ctx.tenant);
  const accountnum = checked.raw.get('ACCOUNTNUM') as string;
  const row = mustGet(ctx, 'CUSTOMER', accountnum, (v) => E.aliasValue('ACCOUNTNUM', v));
  checkAutopasswd(checked.standard, false);
  checkUnique(ctx, 'CUSTOMER', checked, row.id);
  const { changed, custom } = diff(row, checked, 'ACCOUNTNUM');
  if (changed.get('AUTOPASSWD') === 'TRUE') changed.set('PASSWORD', generatePassword());
  // "If no value is modified, a reply status of 0 is returned but the record is left unchanged."
  if (changed.size > 0 || custom !== undefined) {
    changed.set('LASTMODDATE', nowIso(ctx));
    ctx.store.update('CUSTOMER', row.id, changed, custom);
  }
  return ok({ items: [[['ACCOUNTNUM', String(row.id)]]] });
};

const remove: Handler = (ctx, tags) => {
  const checked = checkWriteTags(ctxObject(), 'DELETE', tags, ctx.tenant);
  const row = mustGet(ctx, 'CUSTOMER', checked.raw.get('ACCOUNTNUM') as string, (v) => E.aliasValue('ACCOUNTNUM', v));
  deleteCustomer(ctx, row.id);
  return ok();
};

/** "Deleting a customer causes a cascade effect; all cases, tasks, and follow-ups ... are deleted." */
export function deleteCustomer(ctx: CommandContext, id: number): void {
  const account = String(id);
  ctx.store.prepared('DELETE FROM followup WHERE CASENUM IN (SELECT CAST(id AS TEXT) FROM crm_case WHERE ACCOUNTNUM = ?)').run(account);
  deleteWhere(ctx, 'CASE', 'ACCOUNTNUM', account);
  deleteWhere(ctx, 'TASK', 'ACCOUNTNUM', account);
  deleteWhere(ctx, 'CUSTOMER', 'id', id);
}

const ctxObject = () => CATALOGUE.CUSTOMER;

export const customerHandlers: Partial<Record<string, Handler>> = { ADD: add, MODIFY: modify, DELETE: remove };
