import type { Logger } from 'pino';
import type { TenantList } from '../protocol/catalogue.js';
import { ApiRejection } from '../protocol/errors.js';
import type { WapiClient } from '../client/wapi-client.js';
import type { Mapping } from '../mapping/types.js';
import type { CustomFieldDef, StatusUsability, TenantLists } from '../mapping/tenant-lists.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const USABILITY = new Set(['UNA', 'OPN', 'CLS']);

/** Which of the tenant's lists a mapping's fields are checked against. */
export function listsNeeded(mapping: Mapping): { lists: TenantList[]; agents: boolean } {
  const lists = new Set<TenantList>();
  let agents = false;
  for (const field of mapping.fields) {
    if (field.def?.list) lists.add(field.def.list);
    if (field.def?.format === 'agent') agents = true;
  }
  return { lists: [...lists], agents };
}

/**
 * Read, once at the start of a run, the tenant lists the mapping's fields are validated
 * against: LIST COUNTRY / AGENTS / GROUPS, and CUSTOMFIELD GET <NAME> for the enumerations and
 * the custom fields (the guide's "Get Custom Field": the active values of a picklist, an empty
 * reply for anything else). A list the server will not give is left out: unchecked, so the
 * server's own reply decides, rather than the run being refused.
 */
export async function fetchTenantLists(
  client: WapiClient,
  mapping: Mapping,
  options: { signal?: AbortSignal; logger?: Logger } = {},
): Promise<TenantLists> {
  const { lists, agents } = listsNeeded(mapping);
  const out: Mutable<TenantLists> = {};
  const items = async (object: string, action: string, tags: Array<[string, string]> = []) => {
    const reply = await client.send({ object, action, tags }, { signal: options.signal });
    if (reply.status !== '0') {
      // Login and permission problems were caught by the ping; anything else: leave the list unchecked.
      options.logger?.info({ object, action, tags, status: reply.status }, `no ${object} list: ${reply.errorStr}`);
      throw new ApiRejection(reply.status, reply.errorCode, reply.errorStr);
    }
    return reply.items;
  };
  const tryList = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ApiRejection) return undefined;
      throw error;
    }
  };

  const jobs: Array<Promise<void>> = [];
  for (const list of lists) {
    jobs.push(
      (async () => {
        if (list === 'COUNTRY') {
          const got = await tryList(() => items('COUNTRY', 'LIST'));
          if (got) out.COUNTRY = got.map((i) => i['COUNTRY'] ?? '').filter((v) => v !== '');
          return;
        }
        const got = await tryList(() => items('CUSTOMFIELD', 'GET', [['NAME', list]]));
        // An empty reply is "not a picklist" in the guide: no values to check against.
        if (!got || got.length === 0) return;
        out[list] = got.map((i) => i['VALUE'] ?? '').filter((v) => v !== '');
        if (list === 'CASE_STATUS') {
          const usability: Record<string, StatusUsability> = {};
          for (const item of got) {
            const u = (item['USABILITY'] ?? '').toUpperCase();
            if (item['VALUE'] && USABILITY.has(u)) usability[item['VALUE']] = u as StatusUsability;
          }
          if (Object.keys(usability).length > 0) out.caseStatusUsability = usability;
        }
      })(),
    );
  }
  if (agents) {
    jobs.push(
      (async () => {
        const got = await tryList(() => items('AGENTS', 'LIST'));
        if (got) out.agents = got.map((i) => i['AGENTID'] ?? '').filter((v) => v !== '');
      })(),
      (async () => {
        const got = await tryList(() => items('GROUPS', 'LIST'));
        if (got) out.groups = got.map((i) => i['GROUPID'] ?? '').filter((v) => v !== '');
      })(),
    );
  }
  if (mapping.customFields.length > 0) {
    const defs: Record<string, CustomFieldDef> = {};
    for (const tag of mapping.customFields) {
      jobs.push(
        (async () => {
          const got = await tryList(() => items('CUSTOMFIELD', 'GET', [['NAME', tag]]));
          const values = (got ?? []).map((i) => i['VALUE'] ?? '').filter((v) => v !== '');
          // Only a picklist can be told apart over the API; any other custom field reads as text.
          defs[tag] = values.length > 0 ? { type: 'picklist', values } : { type: 'text' };
        })(),
      );
    }
    await Promise.all(jobs);
    out.customFields = { [mapping.objectName]: defs };
    return out;
  }
  await Promise.all(jobs);
  return out;
}
