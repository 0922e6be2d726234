import { fieldDef, type Action, type FieldDef, type ObjectDef } from '../protocol/catalogue.js';
import { isBlank } from '../protocol/wire-formats.js';
import { E } from './api-error.js';
import { checkCustomValue, checkFieldValue } from './check-value.js';
import type { CustomFieldDef, Tenant } from './tenant.js';

/** The tags of an ADD, MODIFY or DELETE after checking: canonical tag → stored value. */
export interface CheckedTags {
  readonly standard: Map<string, string>;
  readonly custom: Map<string, string>;
  /** The raw value of each standard tag as sent (for messages). */
  readonly raw: Map<string, string>;
}

export function customFieldDef(tenant: Tenant, object: ObjectDef, tag: string): CustomFieldDef | undefined {
  if (!object.customFields) return undefined;
  const upper = tag.toUpperCase();
  return tenant.customFields(object.name).find((f) => f.tag.toUpperCase() === upper);
}

/**
 * Check the tags of a write command against the catalogue and the tenant: unknown tags,
 * repeats, mandatory tags, and each value. Throws the guide's error for the first problem.
 */
export function checkWriteTags(
  object: ObjectDef,
  action: Exclude<Action, 'GET'>,
  tags: ReadonlyArray<readonly [string, string]>,
  tenant: Tenant,
): CheckedTags {
  if (tags.length === 0) throw E.noTags();
  const fields = new Map<string, { field: FieldDef; value: string; sentAs: string }>();
  const customRaw = new Map<string, { def: CustomFieldDef; value: string }>();
  for (const [tag, value] of tags) {
    const field = fieldDef(object, tag);
    if (field) {
      if (field.actions[action] === undefined) throw E.invalidTag(tag, action, object.name);
      const seen = fields.get(field.tag);
      // MEDIA_TYPE and MEDIATYPE are one field (README, "Protocol notes"); the guide's Add Task example
      // sends both with the same value, which we accept.
      if (seen && !(seen.sentAs !== tag && seen.value === value)) throw E.duplicateTag(tag);
      fields.set(field.tag, { field, value, sentAs: tag });
      continue;
    }
    const custom = customFieldDef(tenant, object, tag);
    if (!custom || action === 'DELETE') throw E.invalidTag(tag, action, object.name);
    if (customRaw.has(custom.tag)) throw E.duplicateTag(tag);
    customRaw.set(custom.tag, { def: custom, value });
  }
  // A mandatory tag needs a value: empty or whitespace only, "the value for this tag is not
  // passed" (README, "Readings of the guide"), as the offline validator reads it too.
  const mandatory = object.fields.filter((f) => f.actions[action] === 'M');
  const present = mandatory.filter((f) => !isBlank(fields.get(f.tag)?.value ?? ''));
  if (mandatory.length > 1 && present.length === 0 && action !== 'MODIFY') throw E.noMandatory();
  for (const f of mandatory) {
    if (isBlank(fields.get(f.tag)?.value ?? '')) {
      if (f.tag === 'AUTOPASSWD') throw E.autopasswdMissing();
      throw E.mandatory(f.tag);
    }
  }
  // An empty tag is "no value": live integrations send one for every value they lack
  // (README, "Readings of the guide"). It is left out, so ADD stores nothing (or the default)
  // and MODIFY keeps what the record holds.
  const standard = new Map<string, string>();
  const raw = new Map<string, string>();
  for (const [tag, { field, value }] of fields) {
    if (value === '') continue;
    standard.set(tag, checkFieldValue(field, value, tenant, action));
    raw.set(tag, value);
  }
  const custom = new Map<string, string>();
  for (const [tag, { def, value }] of customRaw) {
    if (def.deleted) throw E.tagDeleted(def.tag);
    if (value !== '') custom.set(tag, checkCustomValue(def, value));
  }
  return { standard, custom, raw };
}
