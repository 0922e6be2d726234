import { readDataFile } from './data-file.js';
import { CATALOGUE, fieldDef, type ObjectName } from '../protocol/catalogue.js';
import { ConfigError } from '../protocol/errors.js';
import { parseFixtureDate, toIso, wireDateTimeToIso } from './dates.js';
import type { Fixtures } from './options.js';
import { TIMESTAMP_FIELDS } from './render.js';
import { columnsOf, type Store } from './store.js';
import type { Tenant } from './tenant.js';

const KEYS: ReadonlyArray<[keyof Fixtures, ObjectName]> = [
  ['faqcategories', 'FAQCATEGORY'],
  ['faqs', 'FAQ'],
  ['customers', 'CUSTOMER'],
  ['cases', 'CASE'],
  ['followups', 'FOLLOWUP'],
  ['tasks', 'TASK'],
];

export function readFixturesFile(file: string): Fixtures {
  const parsed = readDataFile(file, 'fixtures', '--fixtures');
  if (parsed === null || typeof parsed !== 'object') throw new ConfigError(`fixtures ${file}: expected a mapping of object lists`);
  return parsed;
}

/**
 * Insert records as they are: with the ids, dates and agents given, histories the API itself
 * cannot backdate. Values are not validated beyond their shape; dates are ISO 8601, on the
 * server's wall clock unless they name a zone. Follow the id sequences on past the highest id
 * loaded.
 */
export function loadFixtures(store: Store, tenant: Tenant, fixtures: Fixtures, now: Date, timeZone = 'UTC'): void {
  const nowIso = toIso(now, timeZone);
  store.transaction(() => {
    for (const [key, name] of KEYS) {
      const object = CATALOGUE[name];
      const stored = new Set(columnsOf(object));
      const customTags = new Map(tenant.customFields(name).map((f) => [f.tag.toUpperCase(), f.tag]));
      for (const [index, record] of (fixtures[key] ?? []).entries()) {
        const where = `fixtures ${key}[${index}]`;
        const values = new Map<string, string | null>();
        const custom: Record<string, string> = {};
        let id: number | undefined;
        let num: number | undefined;
        let emailCase = 0;
        const positive = (tag: string, value: string) => {
          const n = Number(value);
          if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${where}: ${tag} must be a positive integer`);
          return n;
        };
        for (const [rawTag, rawValue] of Object.entries(record)) {
          const tag = rawTag.toUpperCase();
          const value = rawValue === null || rawValue === undefined ? '' : String(rawValue);
          // A follow-up's FOLLOWUPNUM counts within its case; FOLLOWUPID is its tenant-wide id.
          if (name === 'FOLLOWUP' && tag === 'FOLLOWUPNUM') {
            num = positive(tag, value);
            continue;
          }
          if (tag === object.idTag || (name === 'FOLLOWUP' && tag === 'FOLLOWUPID')) {
            id = positive(tag, value);
            continue;
          }
          if (tag === 'EMAIL_CASE' && name === 'CASE') {
            emailCase = value === 'true' || value === '1' || value === 'Y' ? 1 : 0;
            continue;
          }
          const canonical = fieldDef(object, tag)?.tag;
          if (canonical !== undefined && stored.has(canonical)) {
            if (TIMESTAMP_FIELDS.has(canonical) && value !== '') {
              const iso = parseFixtureDate(value, timeZone) ?? wireDateTimeToIso(value);
              if (iso === undefined) throw new ConfigError(`${where}: ${tag} "${value}" is not an ISO 8601 date`);
              values.set(canonical, iso);
            } else {
              values.set(canonical, value === '' ? null : value);
            }
          } else if (customTags.has(tag)) {
            custom[customTags.get(tag) as string] = value;
          } else {
            throw new ConfigError(`${where}: "${rawTag}" is not a field of ${name}`);
          }
        }
        if (!values.has('CREATEDDATE') && stored.has('CREATEDDATE')) values.set('CREATEDDATE', nowIso);
        if (!values.has('LASTMODDATE') && stored.has('LASTMODDATE')) values.set('LASTMODDATE', values.get('CREATEDDATE') ?? nowIso);
        for (const field of object.fields) {
          if (field.default !== undefined && stored.has(field.tag) && !values.has(field.tag)) values.set(field.tag, field.default);
        }
        if (id === undefined) id = store.takeId(name);
        else store.reserveId(name, id);
        if (name === 'FOLLOWUP') {
          const caseRow = store.get('CASE', values.get('CASENUM') ?? '');
          if (!caseRow) throw new ConfigError(`${where}: CASENUM "${values.get('CASENUM') ?? ''}" is not a case of the fixtures`);
          if (num === undefined) num = store.takeFollowupNum(caseRow.id);
          else store.reserveFollowupNum(caseRow.id, num);
          store.insert(name, id, values, custom, { num });
        } else {
          store.insert(name, id, values, custom, name === 'CASE' ? { email_case: emailCase } : {});
        }
      }
    }
  });
}
