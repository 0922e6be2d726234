import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { buildReply } from '../protocol/reply-builder.js';
import { E } from './api-error.js';
import { dispatch, type DispatchOptions } from './dispatch.js';
import { Faults } from './faults.js';
import { readXmlQuery } from './form.js';
import type { FaultOptions } from './options.js';

export const ENDPOINT = '/WAPI/wapi.php';
/** Requests larger than this get an error reply (HTTP 200, as PHP answers a post over post_max_size). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A body over the cap is read and dropped up to this size, so the client reads its reply; past it, the connection is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;

const HEADERS = { 'content-type': 'text/xml; charset=ISO-8859-1' };

function send(res: ServerResponse, status: number, body: Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, 'content-length': String(body.length), ...extra });
  res.end(body);
}

function errorBody(message: string, code = '1'): Buffer {
  return buildReply({ status: '-1', errorCode: code, errorStr: message });
}

type Body = { readonly text: string } | { readonly tooLarge: true; readonly drained: boolean };

/**
 * Read the body up to the cap (latin1 keeps every byte; readXmlQuery decodes percent-escapes,
 * then UTF-8). Events rather than an async iterator: this runs for every request.
 */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > DRAIN_BYTES) return resolve({ tooLarge: true, drained: false });
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_BYTES) {
        req.off('data', onData).off('end', onEnd);
        req.pause();
        resolve({ tooLarge: true, drained: false });
      } else if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      if (size > MAX_BODY_BYTES) resolve({ tooLarge: true, drained: true });
      else resolve({ text: chunks.length === 1 ? (chunks[0] as Buffer).toString('latin1') : Buffer.concat(chunks).toString('latin1') });
    };
    // A client that goes away mid-body: settle, so nothing waits for an end that never comes.
    const onClose = () => reject(Object.assign(new Error('the client closed the connection before the end of its request'), { code: 'ECONNRESET' }));
    req.on('data', onData).on('end', onEnd).on('error', reject).on('close', onClose);
  });
}

export function createEmulatorServer(options: DispatchOptions & { faults: FaultOptions; logger?: Logger }): Server {
  const faults = new Faults(options.faults);
  const server = createServer({ keepAlive: true, keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that went away is the client's business, not a failure of the server.
      if (req.destroyed || (error as { code?: string }).code === 'ECONNRESET') {
        options.logger?.debug({ err: error }, 'request abandoned by the client');
        return;
      }
      options.logger?.error({ err: error }, 'request failed');
      if (!res.headersSent) send(res, 500, errorBody('Internal Error', '99'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The usual request is a POST to the endpoint itself: no URL to parse.
    const url = req.url === ENDPOINT ? undefined : new URL(req.url ?? '/', 'http://localhost');
    if (url !== undefined && url.pathname !== ENDPOINT) {
      send(res, 404, errorBody(`No CRM API at ${url.pathname}; use ${ENDPOINT}`));
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      send(res, 405, errorBody(`Method ${req.method} not allowed`), { allow: 'GET, POST' });
      return;
    }
    let form = url !== undefined && url.search.length > 1 ? url.search.slice(1) : '';
    let contentType: string | undefined;
    if (req.method === 'POST') {
      const body = await readBody(req);
      if ('tooLarge' in body) {
        const error = E.tooLarge(MAX_BODY_BYTES);
        // Past the drain limit the rest of the body is not read: close once the reply is out.
        if (!body.drained) res.on('finish', () => req.socket.destroy());
        send(res, 200, errorBody(error.message, String(error.errorCode)), body.drained ? {} : { connection: 'close' });
        return;
      }
      form = body.text;
      contentType = req.headers['content-type'];
    }
    if (faults.active) {
      const latency = faults.latencyMs();
      if (latency > 0) await sleep(latency);
      const before = faults.before(Date.now());
      if (before === 'rate-limited') return send(res, 429, errorBody('Too many requests'), { 'retry-after': '1' });
      if (before === 'reset') return void req.socket.resetAndDestroy();
      if (before === 'fail') return send(res, 500, errorBody('Internal Error', '99'));
    }
    const reply = dispatch(readXmlQuery(form, contentType), options);
    if (faults.active) {
      // The command has been applied: the ambiguous failure every client must survive.
      const after = faults.after();
      if (after === 'drop') return void req.socket.resetAndDestroy();
      if (after === 'fail') return send(res, 500, errorBody('Internal Error', '99'));
    }
    send(res, 200, reply);
  }

  return server;
}
