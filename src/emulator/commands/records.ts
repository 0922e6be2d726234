import { CATALOGUE, fieldDef, type ObjectName } from '../../protocol/catalogue.js';
import { E } from '../api-error.js';
import type { CheckedTags } from '../check-tags.js';
import { toIso } from '../dates.js';
import { buildGetQuery, hideDeletedAgents } from '../get-query.js';
import { renderItem } from '../render.js';
import { TABLE, customPath, quoteId, type StoredRow } from '../store.js';
import type { ReplyItem } from '../reply-builder.js';
import { ok, type CommandContext, type CommandReply, type Tags } from './context.js';

/**
 * The SELECT of a GET page: `where` from buildGetQuery, then `id > ?` after the first page.
 * LIMIT as a literal: SQLite plans a bound LIMIT several times slower (it is a number of the
 * server's own, never request data).
 */
export function recordsSql(name: ObjectName, where: readonly string[], after: boolean, limit: number): string {
  const table = TABLE[name];
  const conditions = after ? [...where, `${table}.id > ?`] : where;
  return `SELECT * FROM ${table}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${table}.id LIMIT ${Math.trunc(limit)}`;
}

/** The look-up of a unique field's value: EMAIL ignores case, every other field compares exactly. */
export function uniqueSql(name: ObjectName, tag: string): string {
  const collate = tag === 'EMAIL' ? ' COLLATE NOCASE' : '';
  return `SELECT id FROM ${TABLE[name]} WHERE ${quoteId(tag)} = ?${collate} AND id != ? LIMIT 1`;
}

/** Most ITEMs read and written at once, and about the most text: a long reply goes out in pages. */
const PAGE_ROWS = 100;
const PAGE_CHARS = 64 * 1024;

/**
 * GET: the records matching the tags, lowest ids first, at most max-items of them. Up to a page
 * they come back in `items`; a longer reply continues in `more`, each page read after the last
 * id of the one before as the server writes it, so neither the store nor the server holds a
 * million ITEMs at once. A page is read whole; a record written while a long reply is on its
 * way shows in a later page as it is then (README, "The emulator").
 */
export function getRecords(ctx: CommandContext, name: ObjectName, tags: Tags): CommandReply {
  const object = CATALOGUE[name];
  const { where, params } = buildGetQuery(object, tags, ctx.tenant, () => ctx.store.takeIdPeek(name));
  const select = (after: boolean, limit: number) => ctx.store.prepared(recordsSql(name, where, after, limit));
  let remaining = ctx.maxItems;
  let lastId: number | undefined;
  let exhausted = false;
  const page = (): ReplyItem[] => {
    const limit = Math.min(PAGE_ROWS, remaining);
    const items: ReplyItem[] = [];
    let chars = 0;
    let rows = 0;
    for (const row of select(lastId !== undefined, limit).iterate(...params, ...(lastId !== undefined ? [lastId] : [])) as IterableIterator<StoredRow>) {
      const item = renderItem(object, row, ctx.tenant, ctx.replyStyle);
      items.push(item);
      lastId = row.id;
      rows++;
      for (const [, value] of item) chars += value.length;
      if (chars >= PAGE_CHARS) break;
    }
    remaining -= rows;
    if (rows < limit && chars < PAGE_CHARS) exhausted = true;
    return items;
  };
  const first = page();
  if (exhausted || remaining === 0) return ok({ items: first });
  function* more(): Generator<ReplyItem[], void, void> {
    while (!exhausted && remaining > 0) {
      const items = page();
      if (items.length > 0) yield items;
    }
  }
  return ok({ items: first, more: more() });
}

/** GET with no tags: FIRSTID, LASTID and TOTAL over the records that GET can see. */
export function summary(ctx: CommandContext, name: ObjectName) {
  const where: string[] = [];
  const params: unknown[] = [];
  hideDeletedAgents(CATALOGUE[name], new Map(), ctx.tenant, where, params);
  const sql = `SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS total FROM ${TABLE[name]}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const row = ctx.store.prepared(sql).get(...params) as { first: number | null; last: number | null; total: number };
  return ok({
    items: [
      [
        ['FIRSTID', row.first === null ? '' : String(row.first)],
        ['LASTID', row.last === null ? '' : String(row.last)],
        ['TOTAL', String(row.total)],
      ],
    ],
  });
}

/** The record an id tag names, or the guide's error for it. */
export function mustGet(ctx: CommandContext, name: ObjectName, value: string, notFound: (v: string) => Error): StoredRow {
  const row = ctx.store.get(name, value);
  if (!row) throw notFound(value);
  return row;
}

/** Unique fields (standard and custom): "Duplicate value 'v' of 'TAG'". */
export function checkUnique(ctx: CommandContext, name: ObjectName, checked: CheckedTags, selfId?: number): void {
  const table = TABLE[name];
  const object = CATALOGUE[name];
  for (const [tag, value] of checked.standard) {
    if (!fieldDef(object, tag)?.unique) continue;
    const hit = ctx.store.prepared(uniqueSql(name, tag)).get(value, selfId ?? -1);
    if (hit) throw tag === 'EMAIL' ? E.duplicateEmail(value) : E.duplicateValue(tag, value);
  }
  for (const def of ctx.tenant.customFields(name)) {
    const value = checked.custom.get(def.tag);
    if (!def.unique || value === undefined) continue;
    const hit = ctx.store
      .prepared(`SELECT id FROM ${table} WHERE json_extract(custom, '${customPath(def.tag)}') = ? AND id != ? LIMIT 1`)
      .get(value, selfId ?? -1);
    if (hit) throw E.duplicateValue(def.tag, value);
  }
}

/** Defaults of the catalogue for fields an ADD did not send. */
export function withDefaults(name: ObjectName, values: Map<string, string | null>): Map<string, string | null> {
  for (const field of CATALOGUE[name].fields) {
    if (field.default !== undefined && field.actions.ADD !== undefined && !values.has(field.tag)) values.set(field.tag, field.default);
  }
  return values;
}

export const nowIso = (ctx: CommandContext) => toIso(ctx.now(), ctx.timeZone);

/**
 * What a MODIFY changes: the standard fields whose stored value differs, and the merged custom
 * fields (undefined when none changed).
 */
export function diff(row: StoredRow, checked: CheckedTags, idTag: string) {
  const changed = new Map<string, string | null>();
  for (const [tag, value] of checked.standard) {
    if (tag === idTag) continue;
    if ((row[tag] ?? null) !== value) changed.set(tag, value);
  }
  const custom = JSON.parse(row.custom) as Record<string, string>;
  let customChanged = false;
  const customBefore: Record<string, string> = { ...custom };
  for (const [tag, value] of checked.custom) {
    if (custom[tag] !== value) {
      custom[tag] = value;
      customChanged = true;
    }
  }
  return { changed, custom: customChanged ? custom : undefined, customBefore };
}

/** Delete rows of a table by a column's value (cascades). */
export function deleteWhere(ctx: CommandContext, name: ObjectName, column: string, value: string | number): void {
  ctx.store.prepared(`DELETE FROM ${TABLE[name]} WHERE ${column} = ?`).run(value);
}
