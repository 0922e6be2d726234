import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { keyDigest, type Tenant, type TenantUser } from './tenant.js';

/**
 * The API gateway's login (README, "The emulator"): `X-8x8-Tenant` names the tenant and
 * `x-api-key` is an Admin Console key, which acts as the CRM API user it was given to, rights
 * included. Node lower-cases header names, so any spelling of them works.
 */

export const GATEWAY_PATH = '/cc/v1/wapi';

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  // A header sent twice is no single answer: refused like a missing one.
  return typeof value === 'string' ? value : undefined;
}

/**
 * The user a gateway request acts as, or undefined (HTTP 401). The key's digest is compared
 * with every key of the tenant, each in constant time, without stopping at a match: neither
 * the time taken nor its variation tells how close a guess came.
 */
export function gatewayUser(headers: IncomingHttpHeaders, tenant: Tenant): TenantUser | undefined {
  const tenantName = single(headers, 'x-8x8-tenant');
  const key = single(headers, 'x-api-key');
  if (key === undefined || key === '') return undefined;
  const digest = keyDigest(key);
  let found: TenantUser | undefined;
  for (const user of tenant.users) {
    for (const stored of user.apiKeyDigests) {
      if (timingSafeEqual(digest, stored) && found === undefined) found = user;
    }
  }
  return tenantName === tenant.name ? found : undefined;
}

/** Whether a Content-Type is one the gateway reads: XML, with or without parameters. */
export function isXmlContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*(application|text)\/xml\s*(;|$)/i.test(contentType);
}

/** The charset parameter of a Content-Type, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType === undefined ? null : /;\s*charset\s*=\s*"?([A-Za-z0-9._-]{1,40})"?/i.exec(contentType);
  return m?.[1];
}
