/**
 * Small real HTTP servers that speak exactly the wire a test needs (a fault, a reply shape, the
 * API gateway), on port 0. They are servers, not mocks: the client talks HTTP to them.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface TestServer {
  /** The server's base URL with a path, e.g. url('/WAPI/wapi.php'). */
  url(path: string): string;
  readonly received: Received[];
  close(): Promise<void>;
}

export type Handler = (req: Received, res: ServerResponse, n: number) => void | Promise<void>;

export const OK_REPLY = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<WAPI><REPLY STATUS="0" ERROR_CODE="0" ERROR_STR=""><ITEM><ACCOUNTNUM>10000001</ACCOUNTNUM></ITEM></REPLY></WAPI>\n';

export function reply(res: ServerResponse, status: number, body = OK_REPLY, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'latin1');
  res.writeHead(status, { 'content-type': 'text/xml; charset=ISO-8859-1', 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
}

/** A server that records every request and answers with `handler` (n: the request's 1-based number). */
export async function startServer(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      Promise.resolve(handler(r, res, received.length)).catch(() => res.destroy());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * 8x8's API gateway in front of a form endpoint (the emulator's /WAPI/wapi.php): POST
 * /cc/v1/wapi with `X-8x8-Tenant` and `x-api-key`, a bare `<COMMAND>` as application/xml. A
 * missing or wrong key or tenant is HTTP 401 with an XML error reply and no data; otherwise the
 * command goes on inside a `<WAPI>` envelope with the key's user, and the reply comes back as it
 * is. Until the emulator serves the gateway itself, this is the gateway the client tests use.
 */
export function startGateway(formUrl: string, keys: { tenant: string; apiKey: string; username: string; password: string }): Promise<TestServer> {
  const expected = Buffer.from(keys.apiKey);
  return startServer(async (req, res) => {
    if (req.path !== '/cc/v1/wapi') return reply(res, 404, '<WAPI><REPLY STATUS="-1" ERROR_CODE="1" ERROR_STR="Not found"/></WAPI>');
    if (req.method !== 'POST') return reply(res, 405, '<WAPI><REPLY STATUS="-1" ERROR_CODE="1" ERROR_STR="Method not allowed"/></WAPI>');
    const key = Buffer.from(String(req.headers['x-api-key'] ?? ''));
    const keyOk = key.length === expected.length && timingSafeEqual(key, expected);
    if (!keyOk || req.headers['x-8x8-tenant'] !== keys.tenant) {
      return reply(res, 401, '<?xml version="1.0" encoding="ISO-8859-1"?><WAPI><REPLY STATUS="401" ERROR_CODE="401" ERROR_STR="Invalid API key or tenant"/></WAPI>');
    }
    const xml = `<WAPI><TENANT>${xmlEscape(keys.tenant)}</TENANT><USERNAME>${xmlEscape(keys.username)}</USERNAME><PASSWORD>${xmlEscape(keys.password)}</PASSWORD>${req.body}</WAPI>`;
    const form = `xml_query=${encodeURIComponent(xml)}`;
    const upstream = new URL(formUrl);
    await new Promise<void>((resolve, reject) => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: upstream.pathname, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) } },
        (up) => {
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = Buffer.concat(chunks);
            res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'text/xml', 'content-length': String(body.length) });
            res.end(body);
            resolve();
          });
        },
      );
      forward.on('error', reject);
      forward.end(form);
    });
  });
}
