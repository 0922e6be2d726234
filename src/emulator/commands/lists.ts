import type { TenantList } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import { TABLE } from '../store.js';
import { ok, type Handler } from './context.js';

const listCountries: Handler = (ctx) =>
  ok({ items: ctx.tenant.list('COUNTRY').filter((c) => c.active).map((c) => [['COUNTRY', c.value]]) });

/** Active agents. The guide's GROUPS example repeats the AGENTS reply; groups answer GROUPID/GROUP. */
const listAgents: Handler = (ctx) =>
  ok({ items: [...ctx.tenant.agents].filter(([, a]) => !a.deleted).map(([id, a]) => [['AGENTID', id], ['AGENT', a.name]]) });

const listGroups: Handler = (ctx) =>
  ok({ items: [...ctx.tenant.groups].filter(([, g]) => !g.deleted).map(([id, g]) => [['GROUPID', id], ['GROUP', g.name]]) });

const listFaqCategories: Handler = (ctx) => {
  const rows = ctx.store.prepared(`SELECT id, FAQCATEGORY FROM ${TABLE.FAQCATEGORY} ORDER BY id`).all() as Array<{ id: number; FAQCATEGORY: string }>;
  return ok({ items: rows.map((r) => [['FAQCATID', String(r.id)], ['FAQCATEGORY', r.FAQCATEGORY ?? '']]) });
};

export const listHandlers: Record<string, Handler> = {
  COUNTRY: listCountries,
  AGENTS: listAgents,
  GROUPS: listGroups,
  FAQCATEGORY: listFaqCategories,
};

/** Standard lists CUSTOMFIELD GET answers by field tag, besides the catalogue's list names. */
const LIST_ALIASES: Record<string, TenantList> = {
  STATUS: 'CASE_STATUS',
  MEDIATYPE: 'CASE_MEDIATYPE',
  MEDIA_TYPE: 'TASK_MEDIATYPE',
};

const STANDARD_LISTS = new Set<string>([
  'COUNTRY', 'CUSTOMERTYPE', 'CASE_STATUS', 'PRIORITY', 'SEVERITY', 'CATEGORY', 'PROJECT', 'VISIBILITY',
  'CASE_MEDIATYPE', 'FOLLOWUP_MEDIATYPE', 'TASK_STATUS', 'TASK_MEDIATYPE', 'CALL_TYPE',
]);

/**
 * CUSTOMFIELD GET <NAME>: the active values of a picklist. The guide points here for the
 * lists of statuses, priorities and the like too, so the emulator answers the standard lists by
 * name (CASE_STATUS items also carry USABILITY). A name that is no picklist: an empty reply.
 */
export const getCustomField: Handler = (ctx, tags) => {
  const nameTag = tags.find(([t]) => t === 'NAME');
  for (const [tag] of tags) if (tag !== 'NAME') throw E.invalidTag(tag, 'GET', 'CUSTOMFIELD');
  if (!nameTag || nameTag[1] === '') throw E.mandatory('NAME');
  if (tags.length > 1) throw E.duplicateTag('NAME');
  const name = nameTag[1];
  const upper = name.toUpperCase();
  const listName = LIST_ALIASES[upper] ?? (STANDARD_LISTS.has(upper) ? (upper as TenantList) : undefined);
  if (listName) {
    const values = ctx.tenant.list(listName).filter((v) => v.active);
    return ok({
      items: values.map((v) => (v.usability ? [['VALUE', v.value], ['USABILITY', v.usability]] : [['VALUE', v.value]])),
    });
  }
  const picklist = Object.entries(ctx.tenant.picklists).find(([key]) => key.toUpperCase() === upper)?.[1];
  if (picklist) return ok({ items: picklist.map((v) => [['VALUE', v]]) });
  for (const object of ['CUSTOMER', 'CASE', 'FOLLOWUP', 'TASK'] as const) {
    const def = ctx.tenant.customFields(object).find((f) => f.tag.toUpperCase() === upper && f.type === 'picklist' && !f.deleted);
    if (def) return ok({ items: def.values.map((v) => [['VALUE', v]]) });
  }
  return ok();
};
