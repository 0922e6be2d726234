import { CATALOGUE } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import { checkWriteTags } from '../check-tags.js';
import { TABLE, type StoredRow } from '../store.js';
import { ok, type Handler } from './context.js';
import { checkUnique, deleteWhere, diff, getRecords, mustGet, nowIso, withDefaults } from './records.js';

const addCategory: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FAQCATEGORY, 'ADD', tags, ctx.tenant);
  const values = withDefaults('FAQCATEGORY', new Map<string, string | null>(checked.standard));
  const id = ctx.store.takeId('FAQCATEGORY');
  ctx.store.insert('FAQCATEGORY', id, values, {});
  return ok({ values: [['FAQCATID', String(id)]] });
};

const modifyCategory: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FAQCATEGORY, 'MODIFY', tags, ctx.tenant);
  const row = mustGet(ctx, 'FAQCATEGORY', checked.raw.get('FAQCATID') as string, (v) => E.aliasValue('FAQCATID', v));
  const { changed } = diff(row, checked, 'FAQCATID');
  ctx.store.update('FAQCATEGORY', row.id, changed, undefined);
  return ok({ values: [['FAQCATID', String(row.id)]] });
};

const deleteCategory: Handler = (ctx, tags) => {
  // The guide has an error of its own for this one: "FAQCATID not passed".
  if (!tags.some(([t, v]) => t === 'FAQCATID' && v !== '')) throw E.faqcatidNotPassed();
  const checked = checkWriteTags(CATALOGUE.FAQCATEGORY, 'DELETE', tags, ctx.tenant);
  const row = mustGet(ctx, 'FAQCATEGORY', checked.raw.get('FAQCATID') as string, (v) => E.aliasValue('FAQCATID', v));
  const used = ctx.store.prepared(`SELECT 1 FROM ${TABLE.FAQ} WHERE FAQCATID = ? LIMIT 1`).get(String(row.id));
  if (used) throw E.faqCategoryInUse();
  deleteWhere(ctx, 'FAQCATEGORY', 'id', row.id);
  return ok();
};

/** GET FAQCATEGORY: every category (or the one FAQCATID names). */
const getCategories: Handler = (ctx, tags) => getRecords(ctx, 'FAQCATEGORY', tags);

const addFaq: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FAQ, 'ADD', tags, ctx.tenant);
  const category = checked.raw.get('FAQCATID') as string;
  const cat = mustGet(ctx, 'FAQCATEGORY', category, (v) => E.aliasValue('FAQCATID', v));
  checkUnique(ctx, 'FAQ', checked);
  const values = withDefaults('FAQ', new Map<string, string | null>(checked.standard));
  values.set('FAQCATID', String(cat.id)).set('CREATEDDATE', nowIso(ctx));
  const id = ctx.store.takeId('FAQ');
  ctx.store.insert('FAQ', id, values, {});
  return ok({ values: [['FAQID', String(id)]] });
};

const modifyFaq: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FAQ, 'MODIFY', tags, ctx.tenant);
  const row: StoredRow = mustGet(ctx, 'FAQ', checked.raw.get('FAQID') as string, (v) => E.aliasValue('FAQID', v));
  checkUnique(ctx, 'FAQ', checked, row.id);
  const { changed } = diff(row, checked, 'FAQID');
  ctx.store.update('FAQ', row.id, changed, undefined);
  return ok({ values: [['FAQID', String(row.id)]] });
};

const deleteFaq: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.FAQ, 'DELETE', tags, ctx.tenant);
  const row = mustGet(ctx, 'FAQ', checked.raw.get('FAQID') as string, (v) => E.aliasValue('FAQID', v));
  deleteWhere(ctx, 'FAQ', 'id', row.id);
  return ok();
};

export const faqCategoryHandlers: Partial<Record<string, Handler>> = {
  ADD: addCategory,
  MODIFY: modifyCategory,
  DELETE: deleteCategory,
  GET: getCategories,
};
export const faqHandlers: Partial<Record<string, Handler>> = { ADD: addFaq, MODIFY: modifyFaq, DELETE: deleteFaq };
