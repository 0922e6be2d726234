import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, errors as undiciErrors } from 'undici';
import type { Logger } from 'pino';
import { ApiRejection, TransportError, WapiBulkError } from '../protocol/errors.js';
import { buildRequest, encodeForm, type Credentials, type WapiCommand } from '../protocol/request.js';
import { assertSuccess, parseReply, type WapiReply } from '../protocol/reply.js';
import { TokenBucket } from './token-bucket.js';

export interface ClientOptions {
  /** The endpoint, e.g. http://127.0.0.1:8088/WAPI/wapi.php */
  readonly url: string;
  readonly credentials: Credentials;
  /** Sockets kept open to the server (keep-alive). */
  readonly connections?: number;
  /** Requests per second across all callers; undefined: unpaced. */
  readonly rate?: number;
  /** Attempts after the first for a retryable failure. */
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly connectTimeoutMs?: number;
  /** Time allowed for the reply's headers and body. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export interface SendOptions {
  /**
   * Whether the command can safely be sent again after a failure that may have happened after
   * the server applied it (HTTP 5xx, a reset, a timeout). Defaults to every action but ADD.
   */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
}

export interface ClientStats {
  requests: number;
  retries: number;
}

/** Failures known to have happened before the server saw the request. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']);

function classify(error: unknown, url: string): TransportError | WapiBulkError {
  if (error instanceof WapiBulkError) return error;
  const code = (error as { code?: string }).code ?? '';
  const cause = (error as { cause?: { code?: string } }).cause;
  const anyCode = code || cause?.code || '';
  if ((error as Error).name === 'AbortError' || anyCode === 'ABORT_ERR') {
    return new WapiBulkError('WAPI_ABORTED', 'the request was cancelled', { cause: error });
  }
  if (NOT_SENT.has(anyCode)) {
    return new TransportError('WAPI_CONNECTION_REFUSED', `cannot connect to ${url} (${anyCode})`, {
      cause: error,
      hint: 'check --url / WAPI_URL, and that the server (or `wapi-bulk serve`) is running',
    });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new TransportError('WAPI_TIMEOUT', `no reply from ${url} in time`, { cause: error, ambiguous: true });
  }
  return new TransportError('WAPI_CONNECTION_RESET', `the connection to ${url} failed (${anyCode || (error as Error).message})`, {
    cause: error,
    ambiguous: true,
  });
}

/**
 * A CRM API client: one keep-alive undici Pool, pacing by a token bucket, and retries with
 * exponential backoff and jitter for transport faults. API rejections are replies, not retried.
 */
export class WapiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 };
  private readonly pool: Pool;
  private readonly path: string;
  private readonly bucket: TokenBucket;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly options: ClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new WapiBulkError('CONFIG_INVALID', `"${options.url}" is not a URL`, {
        hint: 'give the endpoint in full, e.g. --url https://vcc-na4.8x8.com/WAPI/wapi.php',
      });
    }
    this.path = parsed.pathname + parsed.search;
    this.pool = new Pool(parsed.origin, {
      connections: options.connections ?? 16,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      headersTimeout: options.timeoutMs ?? 60_000,
      bodyTimeout: options.timeoutMs ?? 60_000,
      keepAliveTimeout: 10_000,
    });
    this.bucket = new TokenBucket(options.rate);
    this.retries = options.retries ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
  }

  get url(): string {
    return this.options.url;
  }

  /** Send a command and return its reply, whatever its STATUS. Transport faults throw. */
  async send(command: WapiCommand, options: SendOptions = {}): Promise<WapiReply> {
    const body = encodeForm(buildRequest(this.options.credentials, command));
    const idempotent = options.idempotent ?? command.action.toUpperCase() !== 'ADD';
    for (let attempt = 0; ; attempt++) {
      await this.bucket.take(options.signal);
      let retryAfterMs: number | undefined;
      let failure: WapiBulkError;
      try {
        this.stats.requests++;
        const res = await this.pool.request({
          path: this.path,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: options.signal,
        });
        const buffer = Buffer.from(await res.body.arrayBuffer());
        if (res.statusCode === 200) return parseReply(buffer);
        if (res.statusCode === 429 || res.statusCode === 503) {
          const header = res.headers['retry-after'];
          const seconds = Number(Array.isArray(header) ? header[0] : header);
          retryAfterMs = Number.isFinite(seconds) ? seconds * 1000 : undefined;
          // 429/503 are answered before the command runs: safe to send again.
          failure = new TransportError('WAPI_RATE_LIMITED', `the server asked us to slow down (HTTP ${res.statusCode})`, {
            hint: 'lower --rate or --concurrency',
          });
        } else {
          failure = new TransportError('WAPI_HTTP_STATUS', `the server answered HTTP ${res.statusCode}`, {
            ambiguous: true,
            retryable: res.statusCode >= 500,
            details: { httpStatus: res.statusCode },
          });
        }
      } catch (error) {
        failure = classify(error, this.options.url);
      }
      const mayRetry = failure.retryable && (idempotent || !failure.ambiguous) && attempt < this.retries;
      this.options.logger?.debug(
        { object: command.object, action: command.action, attempt, code: failure.code, retry: mayRetry },
        failure.message,
      );
      if (!mayRetry) throw failure;
      this.stats.retries++;
      const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** attempt);
      await sleep(retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2), undefined, { signal: options.signal });
    }
  }

  /** Send a command and return its reply; a reply with STATUS other than 0 throws ApiRejection. */
  async call(command: WapiCommand, options: SendOptions = {}): Promise<WapiReply> {
    return assertSuccess(await this.send(command, options));
  }

  /**
   * Check the connection and the login with a cheap command (LIST GROUPS). Throws the
   * ApiRejection for a refused login (303) and the TransportError for an unreachable server.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    const reply = await this.send({ object: 'GROUPS', action: 'LIST', tags: [] }, { signal });
    if (reply.status === '303') throw new ApiRejection(reply.status, reply.errorCode, reply.errorStr);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
