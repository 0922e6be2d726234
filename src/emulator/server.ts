import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { buildReply, itemsXml, REPLY_TAIL, replyHead } from './reply-builder.js';
import type { ParsedRequest } from './request-parser.js';
import { ApiError, E } from './api-error.js';
import type { CommandReply } from './commands/context.js';
import { errorReply, readRequest, runRequest, ServerBusyError, type DispatchOptions, type RunAs } from './dispatch.js';
import type { FaultScript, FiredFault } from './fault-script.js';
import { Faults } from './faults.js';
import { readXmlQuery } from './form.js';
import { charsetOf, GATEWAY_PATH, gatewayUser, isXmlContentType } from './gateway.js';
import type { FaultOptions, ReplyStyle } from './options.js';
import { Turns } from './turns.js';

export const ENDPOINT = '/WAPI/wapi.php';
export { GATEWAY_PATH };
/** Requests larger than this get an error reply (HTTP 200, as PHP answers a post over post_max_size). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A body over the cap is read and dropped up to this size, so the client reads its reply; past it, the connection is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;

const XML_HEADERS = { 'content-type': 'text/xml; charset=ISO-8859-1' };

export interface ServerOptions extends DispatchOptions {
  readonly faults: FaultOptions;
  readonly faultScript: FaultScript;
  /** Reply style of /WAPI/wapi.php; the gateway always answers `live`. */
  readonly replyStyle: ReplyStyle;
  readonly maxConnections: number;
  readonly requestTimeoutMs: number;
  readonly logger?: Logger;
}

function send(res: ServerResponse, status: number, body: Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...XML_HEADERS, 'content-length': String(body.length), ...extra });
  res.end(body);
}

function errorBody(message: string, code = '1', status = '-1'): Buffer {
  return buildReply({ status, errorCode: code, errorStr: message });
}

/** What a proxy in front of the CRM answers when the CRM behind it fails (502) or is away (503). */
function sendProxyError(res: ServerResponse, status: 502 | 503): void {
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Unavailable';
  const body = Buffer.from(`<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`, 'latin1');
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': String(body.length) });
  res.end(body);
}

type Body = { readonly bytes: Buffer } | { readonly tooLarge: true; readonly drained: boolean };

/** Read the body up to the cap. Events rather than an async iterator: this runs for every request. */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > DRAIN_BYTES) return resolve({ tooLarge: true, drained: false });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_BYTES) {
        req.off('data', onData).off('end', onEnd);
        req.pause();
        settled = true;
        resolve({ tooLarge: true, drained: false });
      } else if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      settled = true;
      if (size > MAX_BODY_BYTES) resolve({ tooLarge: true, drained: true });
      else resolve({ bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) });
    };
    // A client that goes away mid-body: settle, so nothing waits for an end that never comes.
    // (Every request closes once answered: the error, and its stack, only when it matters.)
    const onClose = () => {
      if (!settled) reject(Object.assign(new Error('the client closed the connection before the end of its request'), { code: 'ECONNRESET' }));
    };
    req.on('data', onData).on('end', onEnd).on('error', reject).on('close', onClose);
  });
}

/** Resolves once the socket is gone (never before). */
function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

/** Wait for a full socket buffer to drain: false when the reader left or took nothing for `ms`. */
function drained(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (result: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain).off('close', onClose);
      resolve(result);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    res.on('drain', onDrain).on('close', onClose);
  });
}

export function createEmulatorServer(options: ServerOptions): Server {
  const faults = new Faults(options.faults);
  const script = options.faultScript;
  const timeout = options.requestTimeoutMs;
  const turns = new Turns();
  // Pipelined requests on one connection are handled one after the other: a client cannot have
  // the server work on a hundred replies it has not read yet, and once it has gone, the requests
  // it left behind are dropped.
  const queues = new WeakMap<Socket, { tail: Promise<void>; pending: number }>();
  const server = createServer(
    {
      keepAlive: true,
      keepAliveTimeout: 30_000,
      // A request must arrive whole in this time: Node answers 408 and closes the connection.
      requestTimeout: timeout,
      headersTimeout: timeout,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(timeout / 4))),
    },
    (req, res) => {
      const socket = req.socket;
      let queue = queues.get(socket);
      if (!queue) queues.set(socket, (queue = { tail: Promise.resolve(), pending: 0 }));
      const current = queue;
      const run = async (behind: boolean) => {
        // Behind another request: first let a close that came meanwhile be seen. A turn of its
        // own, as the pages of long replies have: a turn that ran the next request of every
        // connection would read no socket for as long as they all take.
        if (behind) await turns.next();
        if (socket.destroyed) return;
        await handle(req, res);
      };
      const settle = (promise: Promise<void>) => promise.catch((error: unknown) => failed(req, res, error)).finally(() => current.pending--);
      // The usual case, one request at a time on a keep-alive connection, starts at once.
      current.tail = current.pending === 0 ? settle(run(false)) : settle(current.tail.then(() => run(true)));
      current.pending++;
    },
  );
  server.maxConnections = options.maxConnections;

  function failed(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    // A client that went away is the client's business, not a failure of the server.
    if (req.destroyed || req.socket.destroyed || (error as { code?: string }).code === 'ECONNRESET') {
      options.logger?.debug({ err: error }, 'request abandoned by the client');
      return;
    }
    options.logger?.error({ err: error }, 'request failed');
    if (!res.headersSent) send(res, 500, errorBody('Internal Error', '99'));
    else req.socket.destroy();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The usual request is a POST to an endpoint itself: no URL to parse.
    const url = req.url === ENDPOINT || req.url === GATEWAY_PATH ? undefined : new URL(req.url ?? '/', 'http://localhost');
    const path = url?.pathname ?? req.url;
    if (path === GATEWAY_PATH) return gateway(req, res);
    if (path !== ENDPOINT) return send(res, 404, errorBody(`No CRM API at ${path}; use ${ENDPOINT} or ${GATEWAY_PATH}`));
    if (req.method !== 'POST' && req.method !== 'GET') {
      return send(res, 405, errorBody(`Method ${req.method} not allowed`), { allow: 'GET, POST' });
    }
    let form: Buffer = Buffer.from(url !== undefined && url.search.length > 1 ? url.search.slice(1) : '', 'latin1');
    let contentType: string | undefined;
    if (req.method === 'POST') {
      const body = await readWhole(req, res);
      if (body === undefined) return;
      form = body;
      contentType = req.headers['content-type'];
    }
    await serve(req, res, () => readRequest(readXmlQuery(form, contentType), 'wapi'), { replyStyle: options.replyStyle });
  }

  /** The API gateway: a bare COMMAND, the tenant and an API key in headers, live replies. */
  async function gateway(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, errorBody(`Method ${req.method} not allowed`), { allow: 'POST' });
    const user = gatewayUser(req.headers, options.tenant);
    if (user === undefined) {
      // No data, and the connection closed: the body of a refused request is not read.
      return send(res, 401, errorBody('Unauthorized: a valid x-api-key and X-8x8-Tenant are required', '401', '401'), { connection: 'close' });
    }
    const contentType = req.headers['content-type'];
    if (!isXmlContentType(contentType)) {
      return send(res, 415, errorBody(`Content-Type ${contentType ?? '(none)'} is not accepted; send application/xml`, '415', '415'), { connection: 'close' });
    }
    const body = await readWhole(req, res);
    if (body === undefined) return;
    await serve(req, res, () => readRequest(body, 'gateway', charsetOf(contentType)), { user, replyStyle: 'live' });
  }

  /** The body, or undefined once the too-large reply has been sent. */
  async function readWhole(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
    const body = await readBody(req);
    if ('bytes' in body) return body.bytes;
    const error = E.tooLarge(MAX_BODY_BYTES);
    // Past the drain limit the rest of the body is not read: close once the reply is out.
    if (!body.drained) res.on('finish', () => req.socket.destroy());
    send(res, 200, errorBody(error.message, String(error.errorCode)), body.drained ? {} : { connection: 'close' });
    return undefined;
  }

  /** A scripted fault; true when it ended the request. */
  async function scripted(fault: FiredFault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.fault) {
      case 'http500':
        send(res, 500, errorBody('Internal Error', '99'));
        return true;
      case 'http502':
        sendProxyError(res, 502);
        return true;
      case 'http503':
        sendProxyError(res, 503);
        return true;
      case 'reset':
        req.socket.resetAndDestroy();
        return true;
      case 'login':
        send(res, 200, buildReply(errorReply(E.login())));
        return true;
      case 'permission':
        send(res, 200, buildReply(errorReply(E.permission())));
        return true;
      case 'timeout':
        if (fault.delayMs === undefined) {
          await closed(req.socket);
          return true;
        }
        await sleep(fault.delayMs);
        return req.socket.destroyed;
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, read: () => ParsedRequest, as: RunAs): Promise<void> {
    if (faults.active) {
      const latency = faults.latencyMs();
      if (latency > 0) await sleep(latency);
      const before = faults.before(Date.now());
      if (before === 'rate-limited') return send(res, 429, errorBody('Too many requests'), { 'retry-after': '1' });
      if (before === 'reset') return void req.socket.resetAndDestroy();
      if (before === 'fail') return send(res, 500, errorBody('Internal Error', '99'));
    }
    let request: ParsedRequest;
    try {
      request = read();
    } catch (error) {
      if (error instanceof ApiError) return send(res, 200, buildReply(errorReply(error)));
      throw error;
    }
    const { before, after } = script.active && request.object && request.action ? script.next(request.object, request.action) : {};
    if (before && (await scripted(before, req, res))) return;
    // A client gone before its command ran: a read is dropped (nobody will read the reply, and
    // a crowd of abandoned GETs must not keep the server busy), but a write received whole is
    // applied, as a PHP server would apply it: the ambiguous outcome a client has to survive.
    const isWrite = request.action !== undefined && /^(ADD|MODIFY|DELETE)$/i.test(request.action);
    if (req.socket.destroyed && !isWrite) return;
    let reply: CommandReply;
    try {
      reply = runRequest(request, options, as);
    } catch (error) {
      if (!(error instanceof ServerBusyError)) throw error;
      // Nothing was applied: the write never got its lock.
      return send(res, 503, errorBody('Server busy, try again', '99'), { 'retry-after': '1' });
    }
    if (faults.active) {
      // The command has been applied: the ambiguous failure every client must survive.
      const lost = faults.after();
      if (lost !== 'none') reply.more?.return();
      if (lost === 'drop') return void req.socket.resetAndDestroy();
      if (lost === 'fail') return send(res, 500, errorBody('Internal Error', '99'));
    }
    if (after) {
      const delayed = after.fault === 'timeout' && after.delayMs !== undefined;
      if (!delayed) reply.more?.return();
      if (await scripted(after, req, res)) return;
    }
    await write(req, res, reply);
  }

  /**
   * Write a reply. A long GET goes out page by page: each page is read from the store only
   * once the one before is on its way, the server turns to other connections between pages,
   * and a reader that stops reading (or leaves) stops the reply.
   */
  async function write(req: IncomingMessage, res: ServerResponse, reply: CommandReply): Promise<void> {
    const pages = reply.more;
    if (pages === undefined) return send(res, 200, buildReply(reply));
    let items = reply.items?.length ?? 0;
    try {
      res.writeHead(200, XML_HEADERS);
      let flowing = res.write(Buffer.from(replyHead(reply) + itemsXml(reply.items ?? []), 'latin1'));
      for (;;) {
        if (!flowing && !(await drained(res, timeout)) && !res.destroyed) {
          options.logger?.debug({ items }, `reply stalled: the client read nothing for ${timeout} ms; connection closed`);
          return void req.socket.destroy();
        }
        // Always through the event loop, a page per turn across all long replies: a fast
        // reader makes 'drain' come on the same tick, and a loop of drains alone would never
        // let another connection in.
        await turns.next();
        if (res.destroyed || req.socket.destroyed) {
          options.logger?.debug({ items }, 'reply abandoned by the client');
          return;
        }
        const page = pages.next();
        if (page.done) break;
        items += page.value.length;
        flowing = res.write(Buffer.from(itemsXml(page.value), 'latin1'));
      }
      res.end(REPLY_TAIL);
    } finally {
      pages.return();
    }
  }

  return server;
}
