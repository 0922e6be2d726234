import { fieldDef, type FieldDef, type ObjectDef } from '../protocol/catalogue.js';
import { charLength, matchEnum } from '../protocol/wire-formats.js';
import { E } from './api-error.js';
import { checkFieldValue } from './check-value.js';
import { customFieldDef } from './check-tags.js';
import { wireDateOrDateTimeToIso, wireDateToIso } from './dates.js';
import { TABLE, customPath, quoteId } from './store.js';
import type { Tenant } from './tenant.js';

export interface GetQuery {
  readonly where: string[];
  readonly params: unknown[];
}

const KEYWORDS = { 'deleted agents': 'DELETED_AGENTS', 'deleted groups': 'DELETED_GROUPS', none: 'NONE', customers: 'CUSTOMERS' } as const;

/** SQL LIKE for the API's `%` wildcard: `_` and `\` are literal (only `%` is a wildcard). */
function likePattern(value: string): string {
  return value.replace(/[\\_]/g, (c) => `\\${c}`);
}

/**
 * A prefix pattern on a numeric id (`1000123%`) as id ranges, so the query uses the primary
 * key instead of scanning every row: p, p0-p9, p00-p99 ... up to the largest id in use.
 */
function prefixRanges(prefix: string, maxId: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const p = Number(prefix);
  for (let k = 0, scale = 1; k <= 16; k++, scale *= 10) {
    const low = p * scale;
    if (low > maxId) break;
    ranges.push([low, Math.min(maxId, (p + 1) * scale - 1)]);
  }
  return ranges;
}

function agentSets(tenant: Tenant) {
  const deletedAgents = [...tenant.agents].filter(([, a]) => a.deleted).map(([id]) => id);
  const deletedGroups = [...tenant.groups].filter(([, g]) => g.deleted).map(([id]) => id);
  return { deletedAgents, deletedGroups };
}

const inList = (column: string, values: readonly string[], params: unknown[]) => {
  if (values.length === 0) return '0';
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ')})`;
};

/**
 * The condition for one ASSIGNEDTO/CREATEDBY keyword; undefined for an agent or group id,
 * which joins the other ids in one IN list.
 */
function agentCondition(tag: string, column: string, value: string, tenant: Tenant, params: unknown[]): string | undefined {
  const lower = value.toLowerCase();
  const keyword = Object.hasOwn(KEYWORDS, lower) ? (KEYWORDS as Record<string, string>)[lower] : undefined;
  const { deletedAgents, deletedGroups } = agentSets(tenant);
  if (keyword === 'DELETED_AGENTS') return inList(column, deletedAgents, params);
  if (keyword === 'DELETED_GROUPS' && tag === 'ASSIGNEDTO') return inList(column, deletedGroups, params);
  if (keyword === 'NONE' && tag === 'ASSIGNEDTO') return `(${column} IS NULL OR ${column} = '')`;
  if (keyword === 'CUSTOMERS' && tag === 'CREATEDBY') return `(${column} IS NULL OR ${column} = '')`;
  if (!tenant.agents.has(value) && !tenant.groups.has(value)) throw E.tagValue(tag, value);
  return undefined;
}

/**
 * The longest value a GET takes for a field without a length of its own (ids, dates, FAQ
 * STRING): the longest searchable text, an FAQ ANSWER. Longer patterns are refused rather than
 * handed to SQLite, whose LIKE gives up at 50,000 bytes.
 */
const GET_MAX_LENGTH = 4000;

/**
 * A search value no longer than its field can hold: `%` is not counted, and a run of `%` is one
 * wildcard, as in SQL LIKE.
 */
function checkGetLength(field: FieldDef, tag: string, value: string): string {
  const pattern = value.includes('%%') ? value.replace(/%%+/g, '%') : value;
  const max = field.maxLength ?? GET_MAX_LENGTH;
  const length = charLength(pattern.includes('%') ? pattern.replace(/%/g, '') : pattern);
  if (length > max) throw E.length(tag, length, 1, max);
  return pattern;
}

function rangeCondition(object: ObjectDef, field: FieldDef, value: string, params: unknown[], where: string[]): boolean {
  const range = object.ranges.find(([from, to]) => from === field.tag || to === field.tag);
  if (!range) return false;
  const [from, , column] = range;
  const iso = field.format === 'date-or-datetime' ? wireDateOrDateTimeToIso(value) : wireDateToIso(value);
  if (iso === undefined) throw E.dateFormat(field.tag);
  const bound = iso.length === 10 ? `${iso} 00:00:00` : iso;
  // FROM is inclusive, TO exclusive (README, "Protocol notes").
  where.push(`${quoteId(column)} ${from === field.tag ? '>=' : '<'} ?`);
  params.push(bound);
  return true;
}

/**
 * Turn the tags of a GET into SQL conditions (README, "Protocol notes"): tags AND
 * together, a repeated multi-value tag is an OR, `%` only where the guide allows it.
 */
export function buildGetQuery(
  object: ObjectDef,
  tags: ReadonlyArray<readonly [string, string]>,
  tenant: Tenant,
  /** The highest id the object could have; asked only for an id prefix search. */
  maxId: () => number,
): GetQuery {
  const where: string[] = [];
  const params: unknown[] = [];
  const grouped = new Map<string, { field?: FieldDef; values: string[]; sentAs: string }>();
  for (const [tag, value] of tags) {
    const field = fieldDef(object, tag);
    const custom = field ? undefined : customFieldDef(tenant, object, tag);
    if (field && field.actions.GET === undefined) throw E.invalidTag(tag, 'GET', object.name);
    if (!field && !custom) throw E.invalidTag(tag, 'GET', object.name);
    if (custom?.deleted) throw E.tagDeleted(custom.tag);
    const key = field?.tag ?? (custom as { tag: string }).tag;
    const group = grouped.get(key);
    if (group) {
      if (!field?.multi) throw E.duplicateTag(tag);
      group.values.push(value);
    } else {
      grouped.set(key, { field, values: [value], sentAs: tag });
    }
    if (value === '') throw E.aliasValue(tag, value);
    if (value.includes('%') && !field?.wildcard) throw E.regex(tag);
  }
  const table = TABLE[object.name];
  for (const [tag, { field, values }] of grouped) {
    if (!field) {
      const def = customFieldDef(tenant, object, tag);
      where.push(`json_extract(${table}.custom, '${customPath(tag)}') = ?`);
      const value = values[0] as string;
      params.push(def?.type === 'picklist' ? (matchEnum(value, def.values) ?? value) : value);
      continue;
    }
    if (rangeCondition(object, field, values[0] as string, params, where)) continue;
    const column = tag === object.idTag ? `${table}.id` : `${table}.${quoteId(tag)}`;
    const ors: string[] = [];
    // Plain values go in one IN list: a thousand ORs would nest past SQLite's expression depth.
    const equal: unknown[] = [];
    const keywords = new Set<string>();
    for (const sent of new Set(values)) {
      const value = checkGetLength(field, tag, sent);
      if (field.format === 'agent') {
        // Keywords are case-insensitive: "none" and "NONE" are one condition.
        const lower = value.toLowerCase();
        if (Object.hasOwn(KEYWORDS, lower)) {
          if (keywords.has(lower)) continue;
          keywords.add(lower);
        }
        const keyword = agentCondition(tag, column, value, tenant, params);
        if (keyword === undefined) equal.push(value);
        else ors.push(keyword);
      } else if (tag === 'STRING') {
        const op = value.includes('%') ? "LIKE ? ESCAPE '\\'" : '= ?';
        const v = value.includes('%') ? likePattern(value) : value;
        ors.push(`(${table}.QUESTION ${op} OR ${table}.ANSWER ${op})`);
        params.push(v, v);
      } else if (tag === 'ATTACHMENTS') {
        // The emulator stores no attachments: "no" matches every case, "yes" none.
        ors.push(value.toLowerCase() === 'no' ? '1' : '0');
      } else if (field.filterOnly) {
        // Case LASTNAME/COMPANY: the customer's.
        const op = value.includes('%') ? "LIKE ? ESCAPE '\\'" : '= ?';
        ors.push(`${table}.ACCOUNTNUM IN (SELECT CAST(id AS TEXT) FROM customer WHERE ${quoteId(tag)} ${op})`);
        params.push(value.includes('%') ? likePattern(value) : value);
      } else if (value.includes('%')) {
        if (tag === object.idTag && /^\d+%$/.test(value)) {
          const ranges = prefixRanges(value.slice(0, -1), maxId());
          ors.push(ranges.length === 0 ? '0' : `(${ranges.map(() => `${column} BETWEEN ? AND ?`).join(' OR ')})`);
          params.push(...ranges.flat());
        } else {
          ors.push(`CAST(${column} AS TEXT) LIKE ? ESCAPE '\\'`);
          params.push(likePattern(value));
        }
      } else {
        const stored = field.format === 'enum' ? checkFieldValue(field, value, tenant, 'GET') : value;
        equal.push(tag === object.idTag ? (/^\d{1,15}$/.test(stored) ? Number(stored) : -1) : stored);
      }
    }
    if (equal.length > 0) {
      ors.push(equal.length === 1 ? `${column} = ?` : `${column} IN (${equal.map(() => '?').join(', ')})`);
      params.push(...equal);
    }
    where.push(ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`);
  }
  hideDeletedAgents(object, grouped, tenant, where, params);
  return { where, params };
}

/**
 * The guide: a GET that does not name CREATEDBY (ASSIGNEDTO) leaves out tasks created by
 * (assigned to) deleted agents; a case search likewise leaves out cases created by deleted
 * agents ("your search for all cases does not automatically yield cases created by deleted
 * agents").
 */
export function hideDeletedAgents(
  object: ObjectDef,
  grouped: ReadonlyMap<string, unknown>,
  tenant: Tenant,
  where: string[],
  params: unknown[],
): void {
  if (object.name !== 'TASK' && object.name !== 'CASE') return;
  const { deletedAgents } = agentSets(tenant);
  if (deletedAgents.length === 0) return;
  const table = TABLE[object.name];
  const marks = deletedAgents.map(() => '?').join(', ');
  if (!grouped.has('CREATEDBY')) {
    where.push(`(${table}.CREATEDBY IS NULL OR ${table}.CREATEDBY NOT IN (${marks}))`);
    params.push(...deletedAgents);
  }
  if (object.name === 'TASK' && !grouped.has('ASSIGNEDTO')) {
    where.push(`(${table}.ASSIGNEDTO IS NULL OR ${table}.ASSIGNEDTO NOT IN (${marks}))`);
    params.push(...deletedAgents);
  }
}
