/**
 * Which CRM a piece of state belongs to: the endpoint and the tenant. The id map, the run journal
 * and export bookmarks are keyed by it, so that ids learnt from one tenant (say, the emulator
 * rehearsal) are never used against another (found in review: cases attached to another tenant's
 * customers that happened to share account numbers).
 */
export interface CrmScope {
  /** The endpoint as `scheme://host[:port]/path`, without credentials, query or fragment. */
  readonly endpoint: string;
  readonly tenant: string;
}

/**
 * The endpoint of a URL as state keys it: lower-case scheme and host, default port dropped,
 * userinfo, query and fragment dropped, trailing slashes trimmed. Two spellings of one endpoint
 * (`HTTP://Host:80/WAPI/wapi.php/`) are one key; a different host, port or path is another.
 */
export function endpointOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.trim();
  }
  const path = parsed.pathname.replace(/\/+$/, '') || '/';
  return `${parsed.protocol}//${parsed.host}${path}`;
}

export function scopeOf(url: string, tenant: string): CrmScope {
  return { endpoint: endpointOf(url), tenant };
}

/** `tenant AcmeJets at http://127.0.0.1:8088/WAPI/wapi.php`, for messages. */
export function describeScope(scope: CrmScope): string {
  return `tenant ${scope.tenant} at ${scope.endpoint}`;
}

export function sameScope(a: CrmScope, b: CrmScope): boolean {
  return a.endpoint === b.endpoint && a.tenant === b.tenant;
}
