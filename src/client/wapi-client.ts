import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { Pool } from 'undici';
import type { Logger } from 'pino';
import { ApiRejection, TransportError, WapiBulkError, isAuthStatus } from '../protocol/errors.js';
import type { Credentials, WapiCommand } from '../protocol/request.js';
import { assertSuccess, parseReply, type WapiReply } from '../protocol/reply.js';
import { realClock, type Clock } from './clock.js';
import { authRejection, header, httpFailure, loginRefusedReply, replyTooLarge, requestOverdue, transportFailure, type Endpoint, type HttpReply } from './failures.js';
import { Pacer, type PaceOutcome, type PacingStats } from './pacer.js';
import { retryAfterMs } from './retry-after.js';
import { displayUrl, redactUrlText, scrubSecrets } from './secrets.js';
import { FORM_PATH, GATEWAY_PATH, checkCredentials, encodeRequest, transportFor, type Transport } from './transport.js';

/**
 * 256 MiB: a 1,000-ITEM page of customers with every field at its longest is 2.6 MB (21 MB if
 * every character came as a reference). Only DESCRIPTION (2 MB each) can make a page of cases,
 * tasks or follow-ups pass it: --max-reply-mb, or a lower --max-items.
 */
const DEFAULT_MAX_REPLY_BYTES = 256 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;

/** Where and as whom: what resolveConnection gives and every command passes on. */
export interface ClientConnection {
  /** The endpoint, e.g. http://127.0.0.1:8088/WAPI/wapi.php or https://api.8x8.com/cc/v1/wapi */
  readonly url: string;
  readonly credentials: Credentials;
  /** `form` (/WAPI/wapi.php) or `gateway` (/cc/v1/wapi); default: from the URL's path. */
  readonly transport?: Transport | undefined;
  /** The largest reply accepted, in bytes (default 256 MiB). */
  readonly maxReplyBytes?: number | undefined;
  /** The longest one request may take, from sending it to the reply's last byte (default 5 min). */
  readonly requestTimeoutMs?: number | undefined;
}

export interface ClientOptions extends ClientConnection {
  /** Sockets kept open to the server (keep-alive), and the most requests let out at once. */
  readonly connections?: number | undefined;
  /** Requests per second across all callers; undefined: unpaced until the server pushes back. */
  readonly rate?: number | undefined;
  /** Slow down on 429s and timeouts and creep back up (default true). */
  readonly adaptivePacing?: boolean | undefined;
  /**
   * Attempts after the first for a retryable failure. A request refused by a 429 (never run) is
   * sent again as long as other requests get replies, and given up after this many 429s in a
   * row while none does. 0: no retries at all.
   */
  readonly retries?: number | undefined;
  readonly retryBaseMs?: number | undefined;
  /** The longest backoff; a Retry-After above it is capped to it. */
  readonly retryMaxMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  /** Time allowed for the reply's headers, and between two pieces of its body. */
  readonly timeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
  /** Time for the pacing and the backoffs (tests). */
  readonly clock?: Clock | undefined;
}

export interface SendOptions {
  /**
   * Whether the command can safely be sent again after a failure that may have happened after
   * the server applied it (HTTP 5xx, a reset, a timeout). Defaults to every action but ADD.
   */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal | undefined;
}

export interface ClientStats {
  /** HTTP requests sent, every attempt counted. */
  requests: number;
  /** Requests sent again after a failure or a 429. */
  retries: number;
  /** Requests the server refused with HTTP 429. */
  throttled: number;
  /** The pace the client settled on (rate, requests at once, slowdowns). */
  pacing: PacingStats;
}

/** Tags a debug log never shows the value of. */
const SECRET_TAG = /PASSWORD/i;

/** What an HTTP status says about the server's load. Only a 2xx is progress. */
function paceOutcome(status: number): PaceOutcome {
  if (status === 429 || status === 503) return 'throttled';
  if (status === 504) return 'timeout';
  return status >= 200 && status < 300 ? 'ok' : 'failed';
}

/**
 * A CRM API client: one keep-alive undici Pool, adaptive pacing (a window of requests at once
 * and a token bucket, both lowered on 429s and timeouts), and retries with exponential backoff
 * and jitter for transport faults. API rejections are replies, not retried. Speaks both
 * transports: the form post to /WAPI/wapi.php and 8x8's API gateway.
 */
export class WapiClient implements Endpoint {
  readonly stats: ClientStats;
  readonly transport: Transport;
  /** The endpoint fit to print: no userinfo, no query string. */
  readonly displayUrl: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly pacer: Pacer;
  private readonly clock: Clock;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxReplyBytes: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: ClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new WapiBulkError('CONFIG_INVALID', `"${redactUrlText(options.url)}" is not a URL`, {
        hint: `give the endpoint in full, e.g. --url https://vcc-na4.8x8.com${FORM_PATH} or https://api.8x8.com${GATEWAY_PATH}`,
      });
    }
    this.displayUrl = displayUrl(parsed);
    this.transport = transportFor(parsed, options.transport);
    checkCredentials(this.transport, options.credentials);
    this.path = parsed.pathname + parsed.search;
    const connections = options.connections ?? 16;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.pool = new Pool(parsed.origin, {
      connections,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      // Found in review: a server that never sent headers outlived a shorter --request-timeout,
      // whose deadline only stops a body. The wait for headers ends with the request's deadline.
      headersTimeout: Math.min(options.timeoutMs ?? 60_000, this.requestTimeoutMs),
      bodyTimeout: options.timeoutMs ?? 60_000,
      keepAliveTimeout: 10_000,
    });
    this.clock = options.clock ?? realClock;
    this.pacer = new Pacer({ concurrency: connections, rate: options.rate, adaptive: options.adaptivePacing, clock: this.clock });
    this.stats = { requests: 0, retries: 0, throttled: 0, pacing: this.pacer.stats };
    this.retries = options.retries ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  }

  get url(): string {
    return this.displayUrl;
  }

  /**
   * Send a command and return its reply, whatever its STATUS; a refused login is a reply too
   * (STATUS 303, or the gateway's HTTP 401/403 as STATUS "401"/"403"). Transport faults throw.
   */
  async send(command: WapiCommand, options: SendOptions = {}): Promise<WapiReply> {
    const { signal } = options;
    const request = encodeRequest(this.transport, this.options.credentials, command);
    const idempotent = options.idempotent ?? command.action.toUpperCase() !== 'ADD';
    const debug = this.options.logger?.isLevelEnabled('debug') === true;
    if (debug) this.options.logger?.debug({ object: command.object, action: command.action, tags: this.loggedTags(command) }, 'request');
    let failures = 0;
    let stalled = 0;
    let throttles = 0;
    let mark = this.pacer.replies;
    for (;;) {
      const permit = await this.pacer.acquire(signal);
      let outcome: PaceOutcome = 'failed';
      let reply: HttpReply | undefined;
      let failure: WapiBulkError | undefined;
      const started = this.clock.now();
      try {
        this.stats.requests++;
        reply = await this.exchange(request.body, request.headers, signal);
        outcome = paceOutcome(reply.statusCode);
      } catch (error) {
        failure = transportFailure(this, error, signal);
        outcome = failure.code === 'WAPI_TIMEOUT' || failure.code === 'WAPI_REQUEST_DEADLINE' ? 'timeout' : 'failed';
      } finally {
        const slowdowns = this.stats.pacing.slowdowns;
        this.pacer.release(permit, outcome);
        if (this.stats.pacing.slowdowns !== slowdowns) {
          this.options.logger?.info({ pacing: { ...this.stats.pacing }, cause: outcome }, `slowing down after ${outcome === 'throttled' ? 'the server refused a request for load' : 'a request timed out'}`);
        }
      }
      if (reply !== undefined) {
        if (debug) this.options.logger?.debug({ object: command.object, action: command.action, httpStatus: reply.statusCode, ms: Math.round(this.clock.now() - started) }, 'reply');
        if (reply.statusCode === 200) return this.parse(reply, command, debug);
        if (reply.statusCode === 401 || reply.statusCode === 403) return this.scrubReply(loginRefusedReply(this, reply));
        failure = httpFailure(this, reply);
      }
      const error = failure as WapiBulkError;
      // The server's Retry-After, read once: it sets this request's wait and, on a 429 or a 503,
      // holds every request (the tenant's quota is not one request's).
      const asked = reply === undefined ? undefined : retryAfterMs(reply.headers['retry-after']);
      let wait: number | undefined;
      let again: boolean;
      if (error.code === 'WAPI_RATE_LIMITED') {
        // Refused before the command ran: safe to send again, as long as the server is taking
        // other requests. 429s in a row while no request anywhere gets a reply: give up.
        this.stats.throttled++;
        throttles++;
        stalled = this.pacer.replies > mark ? 0 : stalled + 1;
        mark = this.pacer.replies;
        again = this.retries > 0 && stalled <= this.retries;
        wait = this.retryAfter(asked, throttles);
      } else {
        failures++;
        again = error.retryable && (idempotent || !error.ambiguous) && failures <= this.retries;
        wait = this.retryAfter(asked, failures);
      }
      // Nothing goes out before a 429's or a 503's Retry-After (requests sent meanwhile would be
      // refused too).
      if (outcome === 'throttled' && asked !== undefined) this.pacer.pause(Math.min(asked, this.retryMaxMs));
      this.options.logger?.debug({ object: command.object, action: command.action, code: error.code, retry: again }, error.message);
      if (!again && error.code === 'WAPI_RATE_LIMITED' && this.retries > 0) {
        throw new TransportError('WAPI_RATE_LIMITED', `the server refused the request for load (HTTP 429) ${throttles} times, the last ${stalled} while no other request got through`, {
          hint: error.hint,
          details: error.details,
        });
      }
      if (!again) throw this.scrub(error);
      this.stats.retries++;
      await this.clock.sleep(wait, signal);
    }
  }

  /** Send a command and return its reply; a reply with STATUS other than 0 throws ApiRejection. */
  async call(command: WapiCommand, options: SendOptions = {}): Promise<WapiReply> {
    const reply = await this.send(command, options);
    if (isAuthStatus(reply.status)) throw this.scrub(authRejection(this, reply.status, reply.errorCode, reply.errorStr));
    return assertSuccess(reply);
  }

  /**
   * Check the connection and the login with a cheap command (LIST GROUPS). Throws the
   * ApiRejection for a refused login (303, or the gateway's 401) and the TransportError for an
   * unreachable server.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    const reply = await this.send({ object: 'GROUPS', action: 'LIST', tags: [] }, { signal });
    if (isAuthStatus(reply.status)) throw this.scrub(authRejection(this, reply.status, reply.errorCode, reply.errorStr));
  }

  async close(): Promise<void> {
    this.options.logger?.debug({ requests: this.stats.requests, retries: this.stats.retries, throttled: this.stats.throttled, pacing: { ...this.stats.pacing } }, 'client closed');
    await this.pool.close();
  }

  /** Printing a client shows where it points, never its credentials. */
  toJSON(): Record<string, unknown> {
    return { url: this.displayUrl, transport: this.transport, stats: this.stats };
  }

  [inspect.custom](): string {
    return `WapiClient ${inspect(this.toJSON())}`;
  }

  /**
   * One HTTP exchange, the reply read whole within the size cap and the request's deadline. The
   * deadline stops a reply whose body never ends (bodyTimeout only bounds the pauses in it); the
   * wait for headers is bounded by headersTimeout. No AbortController of its own: one per request
   * cost a tenth of the client's CPU.
   */
  private async exchange(body: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<HttpReply> {
    let stream: Readable | undefined;
    let overdue = false;
    const deadline = setTimeout(() => {
      overdue = true;
      stream?.destroy(new Error('deadline'));
    }, this.requestTimeoutMs);
    try {
      const res = await this.pool.request({ path: this.path, method: 'POST', headers, body, signal });
      stream = res.body;
      if (overdue) stream.destroy(new Error('deadline'));
      if (Number(res.headers['content-length'] ?? 0) > this.maxReplyBytes) {
        // undici reports the cancelled body as an 'error' event: nobody else listens for it now.
        stream.on('error', () => undefined).destroy();
        throw replyTooLarge(this, this.maxReplyBytes);
      }
      return { statusCode: res.statusCode, headers: res.headers, body: await this.readBody(stream) };
    } catch (error) {
      if (overdue && !signal?.aborted) throw requestOverdue(this, this.requestTimeoutMs);
      throw error;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** A body, whole, or WAPI_REPLY_TOO_LARGE as soon as it passes the cap. */
  private readBody(stream: Readable): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxReplyBytes) stream.destroy(replyTooLarge(this, this.maxReplyBytes));
        else chunks.push(chunk);
      });
      stream.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
      stream.on('error', reject);
    });
  }

  private parse(reply: HttpReply, command: WapiCommand, debug: boolean): WapiReply {
    let parsed: WapiReply;
    try {
      parsed = parseReply(reply.body, header(reply.headers, 'content-type'));
    } catch (error) {
      throw this.scrub(error as WapiBulkError);
    }
    if (debug) this.options.logger?.debug({ object: command.object, action: command.action, status: parsed.status, errorCode: parsed.errorCode, items: parsed.items.length }, 'reply status');
    return parsed;
  }

  /** How long to wait before the next attempt: Retry-After (capped, with jitter) or a backoff. */
  private retryAfter(asked: number | undefined, attempt: number): number {
    if (asked !== undefined) {
      // Jitter above the asked delay: 60 requests told "1 s" must not all come back at once.
      const base = Math.min(asked, this.retryMaxMs);
      return base + Math.random() * Math.max(base / 2, this.retryBaseMs);
    }
    const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
    return backoff / 2 + Math.random() * (backoff / 2);
  }

  /** Secrets out of a refused login's message. */
  private scrubReply(reply: WapiReply): WapiReply {
    return { ...reply, errorStr: scrubSecrets(reply.errorStr, this.options.credentials) };
  }

  /** Secrets out of an error's text, whatever put them there. */
  private scrub<E extends WapiBulkError>(error: E): E {
    const credentials = this.options.credentials;
    error.message = scrubSecrets(error.message, credentials);
    if (error instanceof ApiRejection) (error as { errorStr: string }).errorStr = scrubSecrets(error.errorStr, credentials);
    return error;
  }

  /** A command's tags for a debug log: password fields and secrets redacted, long values cut. */
  private loggedTags(command: WapiCommand): Array<[string, string]> {
    return command.tags.map(([tag, value]) => {
      if (SECRET_TAG.test(tag)) return [tag, '[redacted]'];
      const shown = value.length > 200 ? `${value.slice(0, 200)}… (${value.length} characters)` : value;
      return [tag, scrubSecrets(shown, this.options.credentials)];
    });
  }
}
