/**
 * One errors module for the whole tool. Every failure has a stable `code` that logic matches on;
 * people read `message`. `retryable` says whether sending the same request again may succeed.
 * Modelled on undici's lib/core/errors.js.
 */

export type ErrorCode =
  // transport
  | 'WAPI_TIMEOUT'
  | 'WAPI_CONNECTION_RESET'
  | 'WAPI_CONNECTION_REFUSED'
  | 'WAPI_HTTP_STATUS'
  | 'WAPI_RATE_LIMITED'
  | 'WAPI_ABORTED'
  | 'WAPI_REPLY_TOO_LARGE'
  | 'WAPI_REQUEST_DEADLINE'
  | 'WAPI_ENDPOINT_NOT_FOUND'
  // reply
  | 'WAPI_BAD_REPLY'
  | 'WAPI_REJECTED'
  | 'WAPI_AUTH'
  | 'WAPI_PERMISSION'
  // configuration and input
  | 'CONFIG_INVALID'
  | 'MAPPING_INVALID'
  | 'CSV_INVALID'
  | 'ROW_INVALID'
  | 'REFERENCE_MISSING'
  | 'AMBIGUOUS_MATCH'
  | 'NOT_FOUND'
  | 'STATE_INVALID'
  | 'STATE_READONLY'
  | 'STATE_CORRUPT'
  | 'STATE_LOCKED'
  | 'STATE_MISMATCH'
  | 'DISK_FULL'
  | 'DUPLICATE_KEY';

export interface WapiErrorOptions {
  retryable?: boolean;
  /** True when the request may have been applied although no reply came back. */
  ambiguous?: boolean;
  hint?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class WapiBulkError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  /** A fix a person can act on, shown after the message. */
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: WapiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WapiBulkError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.ambiguous = options.ambiguous ?? false;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

/** Transport faults: no usable HTTP reply arrived. */
export class TransportError extends WapiBulkError {
  constructor(code: ErrorCode, message: string, options: WapiErrorOptions = {}) {
    super(code, message, { retryable: true, ...options });
    this.name = 'TransportError';
  }
}

/**
 * Whether a reply STATUS means the login was refused: 303 from /WAPI/wapi.php, 401 (and 403)
 * from the API gateway, which answers a wrong key or tenant so.
 */
export function isAuthStatus(status: string): boolean {
  return status === '303' || status === '401' || status === '403';
}

/** The server answered with STATUS other than 0. */
export class ApiRejection extends WapiBulkError {
  readonly status: string;
  readonly errorCode: string;
  readonly errorStr: string;

  /** `hint` replaces the default one (the gateway's auth hint names the API key). */
  constructor(status: string, errorCode: string, errorStr: string, hint?: string) {
    const code: ErrorCode = isAuthStatus(status) ? 'WAPI_AUTH' : status === '310' ? 'WAPI_PERMISSION' : 'WAPI_REJECTED';
    const fallback =
      code === 'WAPI_AUTH'
        ? 'check --tenant and the login: --username and WAPI_PASSWORD (or --password-file) for …/WAPI/wapi.php, WAPI_API_KEY (or --api-key-file) for the API gateway'
        : code === 'WAPI_PERMISSION'
          ? "give the CRM API user this object's access right in Configuration Manager"
          : undefined;
    super(code, errorStr || `the server rejected the command (STATUS ${status}, ERROR_CODE ${errorCode || 'none'})`, {
      hint: hint ?? fallback,
      details: { status, errorCode },
    });
    this.name = 'ApiRejection';
    this.status = status;
    this.errorCode = errorCode;
    this.errorStr = errorStr;
  }
}

/** Configuration that stops a run before it starts (exit code 2). */
export class ConfigError extends WapiBulkError {
  constructor(message: string, hint?: string, code: ErrorCode = 'CONFIG_INVALID') {
    super(code, message, { hint });
    this.name = 'ConfigError';
  }
}

export function isWapiBulkError(error: unknown): error is WapiBulkError {
  return error instanceof WapiBulkError;
}
