/**
 * The start of every run that checks rows against a live tenant (import, dry run, reconcile):
 * log in first, with a client of its own that retries once, so that a server that is not there
 * fails fast rather than through the main client's long retry schedule; then read the tenant's
 * lists and check the mapping's custom fields against the tenant's.
 */
import type { Logger } from 'pino';
import { WapiClient, type ClientConnection } from '../client/wapi-client.js';
import { readTenantFields } from '../client/tenant-fields.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import type { Mapping } from '../mapping/types.js';
import { fetchTenantLists } from './fetch-tenant-lists.js';
import { checkCustomFields } from './tenant-fields.js';

export interface TenantStart {
  readonly lists: TenantLists;
  /** The login check's requests and retries (its client is closed): the run's counts include them. */
  readonly requests: number;
  readonly retries: number;
}

export async function connectTenant(
  connection: ClientConnection,
  client: WapiClient,
  mapping: Mapping,
  o: { readonly signal?: AbortSignal | undefined; readonly logger?: Logger | undefined; readonly warn: (message: string) => void },
): Promise<TenantStart> {
  const pinger = new WapiClient({ ...connection, connections: 1, retries: 1, logger: o.logger });
  try {
    await pinger.ping(o.signal);
  } finally {
    await pinger.close();
  }
  const lists = await fetchTenantLists(client, mapping, { signal: o.signal, logger: o.logger });
  if (mapping.customFields.length > 0) {
    const fields = await readTenantFields(client, mapping.objectName, o.signal);
    if (fields) checkCustomFields(mapping, fields, connection.credentials.tenant);
    else o.warn(`the tenant has no ${mapping.object} record to learn its custom fields from: ${mapping.customFields.join(', ')} cannot be checked before the first row`);
  }
  return { lists, requests: pinger.stats.requests, retries: pinger.stats.retries };
}
