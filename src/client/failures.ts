import { errors as undiciErrors } from 'undici';
import { ApiRejection, TransportError, WapiBulkError } from '../protocol/errors.js';
import { parseReply, type WapiReply } from '../protocol/reply.js';
import { abortedError } from './clock.js';
import { redactUrlText } from './secrets.js';
import { FORM_PATH, GATEWAY_PATH, type Transport } from './transport.js';

/**
 * What went wrong with one request, as the errors people read (README "What happens when things
 * fail"): each names the endpoint (without userinfo) and says whether the command may have run.
 */
export interface Endpoint {
  readonly displayUrl: string;
  readonly transport: Transport;
}

export interface HttpReply {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Failures known to have happened before the server saw the request. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']);

export function header(headers: HttpReply['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A refused login, with the hint of the transport in use. */
export function authRejection(endpoint: Endpoint, status: string, errorCode: string, errorStr: string): ApiRejection {
  const hint =
    endpoint.transport === 'gateway'
      ? 'check --tenant (sent as X-8x8-Tenant) and the API key in WAPI_API_KEY or --api-key-file'
      : 'check --tenant, --username and WAPI_PASSWORD (or --password-file)';
  return new ApiRejection(status, errorCode, errorStr, hint);
}

/**
 * A refused login as the reply it stands for: the gateway answers a wrong key or tenant with
 * HTTP 401 and `<REPLY STATUS="401" .../>`; a body that says otherwise, or is no reply at all,
 * still gets the HTTP status. Callers then treat it like /WAPI/wapi.php's STATUS 303.
 */
export function loginRefusedReply(endpoint: Endpoint, reply: HttpReply): WapiReply {
  let parsed: WapiReply | undefined;
  try {
    parsed = parseReply(reply.body, header(reply.headers, 'content-type'));
  } catch {
    parsed = undefined;
  }
  return {
    status: String(reply.statusCode),
    errorCode: parsed?.errorCode ?? '',
    errorStr: parsed?.errorStr || `HTTP ${reply.statusCode} from ${endpoint.displayUrl}: the login was refused`,
    items: [],
    values: {},
  };
}

/** A non-200 HTTP reply (other than a refused login) as an error. */
export function httpFailure(endpoint: Endpoint, reply: HttpReply): WapiBulkError {
  const status = reply.statusCode;
  if (status === 404) {
    const expected = endpoint.transport === 'gateway' ? GATEWAY_PATH : FORM_PATH;
    const other = endpoint.transport === 'gateway' ? FORM_PATH : GATEWAY_PATH;
    return new WapiBulkError('WAPI_ENDPOINT_NOT_FOUND', `HTTP 404 from ${endpoint.displayUrl}: there is no CRM API at that address`, {
      hint: `the URL's path should end in ${expected} (or ${other} for the other transport), e.g. https://vcc-na4.8x8.com${FORM_PATH} or https://api.8x8.com${GATEWAY_PATH}`,
      details: { httpStatus: status },
    });
  }
  if (status === 429) {
    return new TransportError('WAPI_RATE_LIMITED', 'the server asked us to slow down (HTTP 429)', {
      hint: "lower --rate or --concurrency, or wait until the tenant's API quota is free again",
      details: { httpStatus: status },
    });
  }
  if (status >= 300 && status < 400) {
    const location = header(reply.headers, 'location');
    return new TransportError('WAPI_HTTP_STATUS', `the server answered HTTP ${status} (a redirect${location ? ` to ${redactUrlText(location)}` : ''})`, {
      retryable: false,
      hint: 'give the address the server redirects to as --url',
      details: { httpStatus: status },
    });
  }
  // 5xx (502, 503, 504 included): the server may have run the command before it failed.
  // Other 4xx: the server refused the request, so it did not run it.
  const serverSide = status >= 500;
  return new TransportError('WAPI_HTTP_STATUS', `the server answered HTTP ${status}`, {
    ambiguous: serverSide,
    retryable: serverSide,
    details: { httpStatus: status },
  });
}

/** A reply stopped at the size cap. Ambiguous: the server may have run the command first. */
export function replyTooLarge(endpoint: Endpoint, maxBytes: number): TransportError {
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new TransportError('WAPI_REPLY_TOO_LARGE', `the reply from ${endpoint.displayUrl} was larger than ${mb} MB, so it was stopped`, {
    ambiguous: true,
    retryable: false,
    hint: 'check --url; if the replies are really this large, raise --max-reply-mb or lower --max-items',
  });
}

/** A request stopped at its deadline. Ambiguous, like a timeout. */
export function requestOverdue(endpoint: Endpoint, ms: number): TransportError {
  return new TransportError('WAPI_REQUEST_DEADLINE', `the request to ${endpoint.displayUrl} took longer than ${ms / 1000} s, so it was stopped`, {
    ambiguous: true,
    retryable: false,
    hint: 'a server still sending after that long is at fault; if its replies are just slow, raise --request-timeout',
  });
}

/** What undici threw, as the project's error. */
export function transportFailure(endpoint: Endpoint, error: unknown, signal: AbortSignal | undefined): WapiBulkError {
  if (error instanceof WapiBulkError) return error;
  if (signal?.aborted) return abortedError(signal);
  const code = (error as { code?: string }).code ?? '';
  const cause = (error as { cause?: { code?: string } }).cause;
  const anyCode = code || cause?.code || '';
  if ((error as Error).name === 'AbortError' || anyCode === 'ABORT_ERR' || anyCode === 'UND_ERR_ABORTED') {
    return new WapiBulkError('WAPI_ABORTED', 'the request was cancelled', { cause: error });
  }
  if (NOT_SENT.has(anyCode)) {
    return new TransportError('WAPI_CONNECTION_REFUSED', `cannot connect to ${endpoint.displayUrl} (${anyCode})`, {
      cause: error,
      hint: 'check --url / WAPI_URL, and that the server (or `wapi-bulk serve`) is running',
    });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new TransportError('WAPI_TIMEOUT', `no reply from ${endpoint.displayUrl} in time`, { cause: error, ambiguous: true });
  }
  return new TransportError('WAPI_CONNECTION_RESET', `the connection to ${endpoint.displayUrl} failed (${anyCode || (error as Error).message})`, {
    cause: error,
    ambiguous: true,
  });
}
