/**
 * One verdict per value, offline and on the wire. Every rule a value meets (each FieldFormat of
 * the catalogue at its edges, lengths, blanks, characters XML cannot carry, enumerations,
 * agents, custom field types, dates) is run through the offline validator (validateRecord,
 * checkFieldValue) and through the emulator (real ADD, MODIFY and GET requests over HTTP to
 * startEmulator on port 0), and both must give the guide's verdict. A rule written twice that
 * drifts (offline `validate` passing 01010999, which the emulator refused) fails here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { fetchTenantLists } from '../../../src/import/fetch-tenant-lists.js';
import { checkFieldValue } from '../../../src/mapping/check-value.js';
import type { CustomFieldDef, TenantLists } from '../../../src/mapping/tenant-lists.js';
import type { Mapping } from '../../../src/mapping/types.js';
import { validateRecord } from '../../../src/mapping/validate-record.js';
import { CATALOGUE, OBJECTS, type FieldDef, type FieldFormat, type ObjectName } from '../../../src/protocol/catalogue.js';
import { buildRequest, encodeForm, type Credentials } from '../../../src/protocol/request.js';
import { parseReply, replyId, type WapiReply } from '../../../src/protocol/reply.js';
import { CUSTOM_FIELD_TYPES } from '../../../src/protocol/wire-formats.js';
import { nonXmlCharAt } from '../../../src/protocol/xml-chars.js';
import { CUSTOM_FIELDS, INACTIVE, customProbes, getCases, writeCases, type Probe, type WriteAction, type WriteCase } from './wire-probes.js';

type Tags = ReadonlyArray<readonly [string, string]>;

const ROOT = new URL('../../..', import.meta.url).pathname;
const CREDENTIALS: Credentials = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

let dir: string;
let emulator: RunningEmulator;
let lists: TenantLists;
const ids: Record<string, string> = {};

/** The sample tenant with a deactivated value in some lists and custom fields of every type. */
function writeTenant(): string {
  const tenant = parseYaml(readFileSync(join(ROOT, 'samples/tenant.yaml'), 'utf8')) as { lists: Record<string, unknown[]>; customFields: unknown };
  for (const [list, value] of Object.entries(INACTIVE)) {
    tenant.lists[list] = [...(tenant.lists[list] ?? []).filter((v) => typeof v !== 'object' || (v as { active?: boolean }).active !== false), { value, active: false }];
  }
  tenant.customFields = CUSTOM_FIELDS;
  const file = join(dir, 'tenant.json');
  writeFileSync(file, JSON.stringify(tenant));
  return file;
}

/** Write characters XML cannot carry as references: no client can send them raw (they fail either way). */
function requestXml(object: string, action: string, tags: Tags): string {
  const marks: string[] = [];
  const safe = tags.map(([tag, value]): [string, string] => {
    let out = value;
    for (let bad = nonXmlCharAt(out); bad; bad = nonXmlCharAt(out)) {
      marks.push(`&#x${out.charCodeAt(bad.index).toString(16)};`);
      out = `${out.slice(0, bad.index)}\uE000${marks.length - 1}\uE000${out.slice(bad.index + 1)}`;
    }
    return [tag, out];
  });
  return buildRequest(CREDENTIALS, { object, action, tags: safe }).replace(/\uE000(\d+)\uE000/g, (_m, i: string) => marks[Number(i)] as string);
}

async function send(object: string, action: string, tags: Tags): Promise<WapiReply> {
  const res = await request(emulator.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm(requestXml(object, action, tags)),
  });
  expect(res.statusCode).toBe(200);
  return parseReply(Buffer.from(await res.body.arrayBuffer()));
}

async function addId(object: ObjectName, tags: Tags): Promise<string> {
  const reply = await send(object, 'ADD', tags);
  expect(reply.errorStr).toBe('');
  return replyId(reply, CATALOGUE[object].idTag) as string;
}

/** A record every probe of an object and action starts from: its mandatory tags. */
async function baseTags(object: ObjectName, action: WriteAction): Promise<Array<[string, string]>> {
  switch (`${object} ${action}`) {
    case 'CUSTOMER ADD':
      return [['FIRSTNAME', 'Ada'], ['LASTNAME', 'Lovelace'], ['AUTOPASSWD', 'TRUE']];
    case 'CUSTOMER MODIFY':
      return [['ACCOUNTNUM', ids['CUSTOMER'] as string]];
    case 'CASE ADD':
      return [['ACCOUNTNUM', ids['CUSTOMER'] as string], ['SUBJECT', 'Subject'], ['DESCRIPTION', 'Description']];
    // A fresh case each time: whether a case may take a status depends on its assignee.
    case 'CASE MODIFY':
      return [['CASENUM', await addId('CASE', [['ACCOUNTNUM', ids['CUSTOMER'] as string], ['SUBJECT', 'S'], ['DESCRIPTION', 'D']])]];
    case 'FOLLOWUP ADD':
      return [['CASENUM', ids['CASE'] as string], ['SUBJECT', 'Subject'], ['DESCRIPTION', 'Description']];
    case 'TASK ADD':
      return [['ACCOUNTNUM', ids['CUSTOMER'] as string]];
    case 'TASK MODIFY':
      return [['TASKNUM', ids['TASK'] as string]];
    case 'FAQCATEGORY ADD':
      return [['FAQCATEGORY', 'General']];
    case 'FAQCATEGORY MODIFY':
      return [['FAQCATID', ids['FAQCATEGORY'] as string], ['FAQCATEGORY', 'General']];
    case 'FAQ ADD':
      return [['FAQCATID', ids['FAQCATEGORY'] as string], ['QUESTION', 'Question'], ['ANSWER', 'Answer']];
    case 'FAQ MODIFY':
      return [['FAQID', ids['FAQ'] as string]];
  }
  throw new Error(`no base record for ${object} ${action}`);
}

/** The base record, the case's context over it, and the probed tag (each tag once). */
function merge(base: Tags, context: Tags, tag: string, value: string): Array<[string, string]> {
  const aliases = new Set([tag, tag === 'MEDIATYPE' ? 'MEDIA_TYPE' : tag === 'MEDIA_TYPE' ? 'MEDIATYPE' : tag].map((t) => t.toUpperCase()));
  const over = new Set(context.map(([t]) => t));
  return [
    ...base.filter(([t]) => !aliases.has(t) && !over.has(t)).map(([t, v]): [string, string] => [t, v]),
    ...context.filter(([t]) => !aliases.has(t)).map(([t, v]): [string, string] => [t, v]),
    [tag, value],
  ];
}

const verdict = (ok: boolean) => (ok ? 'accepted' : 'refused');

interface Verdicts {
  readonly validator: string;
  readonly emulator: string;
  /** Why, for the failure message. */
  readonly why: { readonly validator: string; readonly emulator: string };
}

/** Both verdicts of one write; an accepted ADD of a unique value is taken back at once. */
async function judgeWrite(object: ObjectName, action: WriteAction, tags: Tags, unique: boolean): Promise<Verdicts> {
  const problems = validateRecord(object, action, tags, lists);
  const reply = await send(object, action, tags);
  if (reply.status === '0' && action === 'ADD' && unique) {
    const id = replyId(reply, CATALOGUE[object].idTag) as string;
    expect((await send(object, 'DELETE', [[CATALOGUE[object].idTag, id]])).status).toBe('0');
  }
  return {
    validator: verdict(problems.length === 0),
    emulator: verdict(reply.status === '0'),
    why: { validator: problems.map((p) => p.message).join('; '), emulator: reply.errorStr },
  };
}

function expectVerdict(got: Verdicts, probe: Probe): void {
  const want = verdict(probe.accept);
  expect({ validator: got.validator, emulator: got.emulator }, `validator: ${got.why.validator || '-'} | emulator: ${got.why.emulator || '-'}`).toEqual({ validator: want, emulator: want });
}

const name = (p: Probe) => `${p.label} (${JSON.stringify(p.value.length > 40 ? `${p.value.slice(0, 37)}...` : p.value)}): ${verdict(p.accept)}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-wire-rules-'));
  emulator = await startEmulator({ port: 0, tenantConfig: writeTenant() });
  // The tenant's lists as an import reads them: LIST and CUSTOMFIELD GET over the API.
  const every = { objectName: 'CUSTOMER', customFields: [], fields: OBJECTS.flatMap((o) => CATALOGUE[o].fields.map((def) => ({ def }))) };
  const client = new WapiClient({ url: emulator.url, credentials: CREDENTIALS, retries: 0 });
  try {
    const fetched = await fetchTenantLists(client, every as unknown as Mapping);
    // The custom field definitions as the tenant file gives them (over the API only a picklist
    // can be told apart), so every type's rule is judged offline too.
    const customFields: Partial<Record<ObjectName, Record<string, CustomFieldDef>>> = {};
    for (const [object, defs] of Object.entries(CUSTOM_FIELDS)) {
      const byTag: Record<string, CustomFieldDef> = {};
      for (const def of defs) {
        if ('deleted' in def && def.deleted) continue;
        byTag[def.tag] = { type: def.type, maxLength: 'maxLength' in def ? def.maxLength : 255, ...('values' in def ? { values: [...def.values] } : {}), ...('unique' in def ? { unique: def.unique } : {}) };
      }
      customFields[object as ObjectName] = byTag;
    }
    lists = { ...fetched, customFields };
  } finally {
    await client.close();
  }
  ids['CUSTOMER'] = await addId('CUSTOMER', [['FIRSTNAME', 'Base'], ['LASTNAME', 'Customer'], ['AUTOPASSWD', 'TRUE']]);
  ids['CASE'] = await addId('CASE', [['ACCOUNTNUM', ids['CUSTOMER']], ['SUBJECT', 'Base'], ['DESCRIPTION', 'Case']]);
  ids['TASK'] = await addId('TASK', [['ACCOUNTNUM', ids['CUSTOMER']]]);
  ids['FAQCATEGORY'] = await addId('FAQCATEGORY', [['FAQCATEGORY', 'Base']]);
  ids['FAQ'] = await addId('FAQ', [['FAQCATID', ids['FAQCATEGORY']], ['QUESTION', 'Q'], ['ANSWER', 'A']]);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The reference an id field must name, per object and action (the base records' ids). */
function referenceOf(object: ObjectName, action: WriteAction, def: FieldDef): string | undefined {
  const o = CATALOGUE[object];
  if (action === 'MODIFY' && def.tag === o.idTag) return `@${object}`;
  if (action === 'ADD' && def.tag === o.parentTag) return `@${def.tag === 'ACCOUNTNUM' ? 'CUSTOMER' : def.tag === 'CASENUM' ? 'CASE' : 'FAQCATEGORY'}`;
  return undefined;
}

/** Values that name a base record (`@CUSTOMER`) become its id when the case runs. */
const resolve = (value: string): string => (value.startsWith('@') && ids[value.slice(1)] !== undefined ? (ids[value.slice(1)] as string) : value);

// The sample tenant's list values, as the probes pick them (the first active value of each).
const TENANT_LISTS = (() => {
  const tenant = parseYaml(readFileSync(join(ROOT, 'samples/tenant.yaml'), 'utf8')) as { lists: Record<string, Array<string | { value: string; active?: boolean }>> };
  const out: Record<string, string[]> = { COUNTRY: ['France'] };
  for (const [list, values] of Object.entries(tenant.lists)) {
    out[list] = values.filter((v) => typeof v === 'string' || v.active !== false).map((v) => (typeof v === 'string' ? v : v.value));
  }
  return out;
})();

const WRITES: Array<[ObjectName, WriteAction]> = OBJECTS.flatMap((o) =>
  (['ADD', 'MODIFY'] as const).filter((a) => CATALOGUE[o].fields.some((f) => f.actions[a] !== undefined)).map((a): [ObjectName, WriteAction] => [o, a]),
);

const ALL_WRITE_CASES: WriteCase[] = WRITES.flatMap(([object, action]) =>
  writeCases(object, action, (def) => ({ lists: TENANT_LISTS, ...(referenceOf(object, action, def) !== undefined ? { reference: referenceOf(object, action, def) } : {}) })),
);

describe.each(WRITES)('%s %s: the validator and the emulator give one verdict', (object, action) => {
  const cases = ALL_WRITE_CASES.filter((c) => c.object === object && c.action === action);
  it.each(cases.map((c) => [`${c.tag}: ${name(c.probe)}`, c] as const))('%s', async (_title, c) => {
    const tags = merge(await baseTags(object, action), c.context, c.tag, resolve(c.probe.value));
    expectVerdict(await judgeWrite(object, action, tags, c.unique), c.probe);
  });
});

describe('custom fields of every type: one verdict', () => {
  const cases = Object.entries(CUSTOM_FIELDS).flatMap(([object, defs]) =>
    (['ADD', 'MODIFY'] as const).flatMap((action) =>
      defs.flatMap((def) => customProbes(def).map((probe) => ({ object: object as ObjectName, action, def, probe }))),
    ),
  );
  it.each(cases.map((c) => [`${c.object} ${c.action} ${c.def.tag} (${c.def.type}): ${name(c.probe)}`, c] as const))('%s', async (_title, c) => {
    const tags = merge(await baseTags(c.object, c.action), [], c.def.tag, c.probe.value);
    expectVerdict(await judgeWrite(c.object, c.action, tags, 'unique' in c.def && c.def.unique), c.probe);
  });
});

describe('GET date filters (formats date and date-or-datetime): one verdict', () => {
  it.each(getCases().map((c) => [`${c.object} ${c.def.tag} (${c.def.format}): ${name(c.probe)}`, c] as const))('%s', async (_title, c) => {
    const problem = checkFieldValue(c.def, c.probe.value, lists, 'GET');
    // A follow-up GET needs its case ("The Case Number is a mandatory field").
    const context: Tags = c.object === 'FOLLOWUP' ? [['CASENUM', ids['CASE'] as string]] : [];
    const reply = await send(c.object, 'GET', [...context, [c.def.tag, c.probe.value]]);
    expectVerdict(
      { validator: verdict(problem === undefined), emulator: verdict(reply.status === '0'), why: { validator: problem?.message ?? '', emulator: reply.errorStr } },
      c.probe,
    );
  });
});

describe('the table', () => {
  it('probes every FieldFormat of the catalogue and every custom field type', () => {
    const formats = new Set<FieldFormat>(OBJECTS.flatMap((o) => CATALOGUE[o].fields.map((f) => f.format)));
    const probed = new Set<string>([...ALL_WRITE_CASES.map((c) => c.rule), ...getCases().map((c) => c.def.format)]);
    expect([...formats].filter((f) => !probed.has(f))).toEqual([]);
    const customTypes = new Set<string>(Object.values(CUSTOM_FIELDS).flatMap((defs) => defs.map((d) => d.type)));
    expect(CUSTOM_FIELD_TYPES.filter((t) => !customTypes.has(t))).toEqual([]);
  });

  it('probes every field an ADD or MODIFY takes, with both verdicts', () => {
    for (const [object, action] of WRITES) {
      for (const def of CATALOGUE[object].fields.filter((f) => f.actions[action] !== undefined && f.readOnly !== true)) {
        const cases = ALL_WRITE_CASES.filter((c) => c.object === object && c.action === action && c.tag === def.tag);
        expect(cases.some((c) => c.probe.accept), `${object} ${action} ${def.tag} has an accepted probe`).toBe(true);
        expect(cases.some((c) => !c.probe.accept), `${object} ${action} ${def.tag} has a refused probe`).toBe(true);
      }
    }
  });
});
