import { ConfigError } from '../protocol/errors.js';
import { buildCommand, buildRequest, encodeForm, type Credentials, type WapiCommand } from '../protocol/request.js';

/**
 * The two ways into the CRM API (README "Connecting"):
 * - `form`: `POST …/WAPI/wapi.php`, the XML with the login inside a `<WAPI>` envelope, in the
 *   form field `xml_query`;
 * - `gateway`: 8x8's API gateway, `POST …/cc/v1/wapi`, a bare `<COMMAND>` as
 *   `application/xml`, the tenant and an API key in the `X-8x8-Tenant` and `x-api-key` headers.
 */
export type Transport = 'form' | 'gateway';

export const TRANSPORTS: readonly Transport[] = ['form', 'gateway'];

export const FORM_PATH = '/WAPI/wapi.php';
export const GATEWAY_PATH = '/cc/v1/wapi';

/** The transport a URL's path names; `explicit` wins when given. */
export function transportFor(url: URL, explicit?: Transport): Transport {
  if (explicit !== undefined) return explicit;
  return /\/cc\/v1\/wapi\/?$/i.test(url.pathname) ? 'gateway' : 'form';
}

export interface EncodedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Check once, when the client is made, that the credentials fit the transport. */
export function checkCredentials(transport: Transport, credentials: Credentials): void {
  if (transport === 'gateway') {
    if (!credentials.apiKey) {
      throw new ConfigError('the API gateway needs an API key, and none was given', 'set WAPI_API_KEY or pass --api-key-file FILE (an Admin Console API key)');
    }
  } else if (!credentials.username || !credentials.password) {
    throw new ConfigError(
      `${FORM_PATH} needs a username and a password, and ${credentials.username ? 'the password' : 'the username'} is missing`,
      'set WAPI_USERNAME and WAPI_PASSWORD (or --username and --password-file)',
    );
  }
}

/** The body and headers of one command. */
export function encodeRequest(transport: Transport, credentials: Credentials, command: WapiCommand): EncodedRequest {
  if (transport === 'gateway') {
    return {
      body: buildCommand(command),
      headers: {
        'content-type': 'application/xml',
        'x-8x8-tenant': credentials.tenant,
        'x-api-key': credentials.apiKey ?? '',
      },
    };
  }
  return {
    body: encodeForm(buildRequest(credentials, command)),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
