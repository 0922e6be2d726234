import { CATALOGUE } from '../../protocol/catalogue.js';
import { E, INCOMPATIBLE } from '../api-error.js';
import { checkWriteTags } from '../check-tags.js';
import type { StoredRow } from '../store.js';
import type { ListValue } from '../tenant.js';
import { ok, type CommandContext, type Handler, type Tags } from './context.js';
import { insertFollowup } from './followup.js';
import { checkUnique, deleteWhere, diff, mustGet, nowIso, withDefaults } from './records.js';

function statusOf(ctx: CommandContext, value: string | undefined | null): ListValue | undefined {
  if (!value) return undefined;
  return ctx.tenant.list('CASE_STATUS').find((s) => s.value === value);
}

/** The tenant's unassigned status: the default STATUS of a new case (README, "Protocol notes"). */
function unassignedStatus(ctx: CommandContext): string {
  return ctx.tenant.list('CASE_STATUS').find((s) => s.usability === 'UNA' && s.active)?.value ?? 'Unassigned';
}

/**
 * An empty ASSIGNEDTO means "no assignee": the guide's table has "EMPTY ASSIGNEDTO passed with
 * STATUS = OPEN" for it, and "The usability of STATUS cannot be UNA, when the Case is assigned"
 * for a MODIFY to an unassigned status that does not pass ASSIGNEDTO. So it is the way to
 * unassign a case (with a UNA or CLS status). Taken out of the tags before they are checked.
 */
function splitEmptyAssignee(tags: Tags): { rest: Tags; emptyAssignee: boolean } {
  const assigned = tags.filter(([t]) => t === 'ASSIGNEDTO');
  if (assigned.length !== 1 || assigned[0]?.[1] !== '') return { rest: tags, emptyAssignee: false };
  return { rest: tags.filter(([t]) => t !== 'ASSIGNEDTO'), emptyAssignee: true };
}

const add: Handler = (ctx, tags) => {
  const { rest, emptyAssignee } = splitEmptyAssignee(tags);
  const checked = checkWriteTags(CATALOGUE.CASE, 'ADD', rest, ctx.tenant);
  const account = checked.raw.get('ACCOUNTNUM') as string;
  if (!ctx.store.get('CUSTOMER', account)) throw E.aliasValue('ACCOUNTNUM', account);
  const assignee = checked.standard.get('ASSIGNEDTO');
  const statusValue = checked.standard.get('STATUS');
  // The status/assignee rules: the "TAGS Incompatible" rows of the guide's Error Cases.
  if (assignee !== undefined && statusValue === undefined) throw E.incompatible(INCOMPATIBLE.assignedNoStatus);
  const status = statusOf(ctx, statusValue);
  if (emptyAssignee && status?.usability === 'OPN') throw E.incompatible(INCOMPATIBLE.emptyAssignedOpen);
  if (status?.usability === 'UNA' && assignee !== undefined) throw E.incompatible(INCOMPATIBLE.assignedWithUnassigned);
  if (status?.usability === 'OPN' && assignee === undefined) throw E.incompatible(INCOMPATIBLE.openNoAssignee);
  checkUnique(ctx, 'CASE', checked);
  const values = withDefaults('CASE', new Map<string, string | null>(checked.standard));
  if (!values.has('STATUS')) values.set('STATUS', unassignedStatus(ctx));
  const now = nowIso(ctx);
  values.set('CREATEDBY', ctx.user.identity).set('CREATEDDATE', now).set('LASTMODDATE', now).set('LASTACTDATE', now);
  if (assignee !== undefined) values.set('ASSIGNEDDATE', now);
  if (status?.usability === 'CLS') values.set('CLOSEDBY', ctx.user.identity).set('CLOSEDDATE', now);
  const id = ctx.store.takeId('CASE');
  ctx.store.insert('CASE', id, values, Object.fromEntries(checked.custom));
  return ok({ values: [['CASENUM', String(id)]] });
};

function checkModifyRules(ctx: CommandContext, row: StoredRow, standard: Map<string, string>, emptyAssignee: boolean): void {
  const assignee = standard.get('ASSIGNEDTO');
  const statusValue = standard.get('STATUS');
  if ((assignee !== undefined || emptyAssignee) && statusValue === undefined) throw E.incompatible(INCOMPATIBLE.assignedNoStatus);
  const status = statusOf(ctx, statusValue);
  if (emptyAssignee && status?.usability === 'OPN') throw E.incompatible(INCOMPATIBLE.emptyAssignedOpen);
  const assignedNow = !emptyAssignee && typeof row['ASSIGNEDTO'] === 'string' && row['ASSIGNEDTO'] !== '';
  if (status?.usability === 'UNA') {
    if (assignee !== undefined) throw E.incompatible(INCOMPATIBLE.assignedStatusUnassigned);
    if (assignedNow) {
      throw E.incompatible(statusValue === 'Unassigned' ? INCOMPATIBLE.unassignedValueAssigned : INCOMPATIBLE.unaAssigned);
    }
  }
  if (status?.usability === 'OPN' && assignee === undefined && !assignedNow) throw E.incompatible(INCOMPATIBLE.openNotAssigned);
}

/**
 * MODIFY keeps every field not sent (README, "Protocol notes": the guide's "set to null" sentence is not
 * followed) and records an automatic follow-up listing what changed, as Edit Case does.
 */
const modify: Handler = (ctx, tags) => {
  const { rest, emptyAssignee } = splitEmptyAssignee(tags);
  const checked = checkWriteTags(CATALOGUE.CASE, 'MODIFY', rest, ctx.tenant);
  const casenum = checked.raw.get('CASENUM') as string;
  const row = mustGet(ctx, 'CASE', casenum, (v) => E.caseId(v));
  if (row['email_case'] === 1 && checked.standard.has('DESCRIPTION')) throw E.emailCase(String(row.id));
  checkModifyRules(ctx, row, checked.standard, emptyAssignee);
  checkUnique(ctx, 'CASE', checked, row.id);
  const { changed, custom, customBefore } = diff(row, checked, 'CASENUM');
  if (emptyAssignee && row['ASSIGNEDTO'] !== null && row['ASSIGNEDTO'] !== '') changed.set('ASSIGNEDTO', null);
  if (changed.size === 0 && custom === undefined) return ok({ values: [['CASENUM', String(row.id)]] });
  const now = nowIso(ctx);
  const lines = [...changed].map(([tag, value]) => `${tag}: ${row[tag] ?? ''} -> ${value ?? ''}`);
  for (const [tag, value] of Object.entries(custom ?? {})) {
    if (customBefore[tag] !== value) lines.push(`${tag}: ${customBefore[tag] ?? ''} -> ${value}`);
  }
  if (changed.has('ASSIGNEDTO')) changed.set('ASSIGNEDDATE', changed.get('ASSIGNEDTO') === null ? null : now);
  if (changed.has('STATUS')) {
    const closed = statusOf(ctx, changed.get('STATUS'))?.usability === 'CLS';
    changed.set('CLOSEDBY', closed ? ctx.user.identity : null).set('CLOSEDDATE', closed ? now : null);
  }
  changed.set('LASTMODDATE', now).set('LASTACTDATE', now);
  ctx.store.update('CASE', row.id, changed, custom);
  const updated = ctx.store.get('CASE', row.id) as StoredRow;
  addAutomaticFollowup(ctx, updated, lines, now);
  return ok({ values: [['CASENUM', String(row.id)]] });
};

/** "The Modify Case operation generates an automated follow-up containing a description of the modification." */
function addAutomaticFollowup(ctx: CommandContext, row: StoredRow, lines: string[], now: string): void {
  const values = new Map<string, string | null>([
    ['SUBJECT', 'Case modified'],
    ['DESCRIPTION', `Case modified through the CRM API:\n${lines.join('\n')}`],
    ['ATTACHMENTS', '0'],
    ['CREATEDBY', ctx.user.identity],
    ['CREATEDDATE', now],
  ]);
  insertFollowup(ctx, row, values, {});
}

const remove: Handler = (ctx, tags) => {
  const checked = checkWriteTags(CATALOGUE.CASE, 'DELETE', tags, ctx.tenant);
  const row = mustGet(ctx, 'CASE', checked.raw.get('CASENUM') as string, (v) => E.caseId(v));
  // "all follow-ups related to a given case are deleted as well"
  deleteWhere(ctx, 'FOLLOWUP', 'CASENUM', String(row.id));
  deleteWhere(ctx, 'CASE', 'id', row.id);
  return ok();
};

export const caseHandlers: Partial<Record<string, Handler>> = { ADD: add, MODIFY: modify, DELETE: remove };
