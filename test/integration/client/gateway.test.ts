/**
 * The API gateway transport, end to end: the client, and the CLI's import and export, through a
 * gateway (http-servers.ts startGateway) in front of the real emulator. (To move to the
 * emulator's own /cc/v1/wapi once it serves it.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { runCli } from '../../../src/cli/program.js';
import { ApiRejection } from '../../../src/protocol/errors.js';
import { startGateway, type TestServer } from './http-servers.js';

const KEY = 'acme-demo-key';
const LOGIN = { tenant: 'AcmeJets', apiKey: KEY, username: 'johnd', password: 'john123' };

let emulator: RunningEmulator;
let gateway: TestServer;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  gateway = await startGateway(emulator.url, LOGIN);
  dir = mkdtempSync(join(tmpdir(), 'wapi-gateway-'));
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const saved = { ...process.env };
afterEach(() => {
  for (const name of ['WAPI_URL', 'WAPI_TENANT', 'WAPI_USERNAME', 'WAPI_PASSWORD', 'WAPI_API_KEY', 'WAPI_TRANSPORT']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += String(c)));
  err.on('data', (c) => (stderr += String(c)));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const code = await runCli(['node', 'wapi-bulk', ...args], { stdout: out, stderr: err });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

describe('the API gateway transport', () => {
  it('sends a bare COMMAND as application/xml with X-8x8-Tenant and x-api-key, and no login in the body', async () => {
    const client = new WapiClient({ url: gateway.url('/cc/v1/wapi'), credentials: { tenant: 'AcmeJets', apiKey: KEY } });
    try {
      expect(client.transport).toBe('gateway');
      const reply = await client.call({ object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', 'Ada'], ['LASTNAME', 'Lovelace'], ['AUTOPASSWD', 'TRUE']] });
      expect(reply.items[0]?.['ACCOUNTNUM']).toMatch(/^\d+$/);
    } finally {
      await client.close();
    }
    const sent = gateway.received.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: '/cc/v1/wapi' });
    expect(sent?.headers).toMatchObject({ 'content-type': 'application/xml', 'x-8x8-tenant': 'AcmeJets', 'x-api-key': KEY });
    expect(sent?.body).toBe('<COMMAND OBJECT="CUSTOMER" ACTION="ADD"><FIRSTNAME>Ada</FIRSTNAME><LASTNAME>Lovelace</LASTNAME><AUTOPASSWD>TRUE</AUTOPASSWD></COMMAND>');
  });

  it('a wrong key is WAPI_AUTH (HTTP 401), sent once, with a hint naming WAPI_API_KEY and --api-key-file', async () => {
    const before = gateway.received.length;
    const client = new WapiClient({ url: gateway.url('/cc/v1/wapi'), credentials: { tenant: 'AcmeJets', apiKey: 'wrong-key-123' }, retryBaseMs: 1 });
    try {
      const error = await client.ping().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ApiRejection);
      expect(error).toMatchObject({ code: 'WAPI_AUTH', status: '401', message: 'Invalid API key or tenant' });
      expect((error as ApiRejection).hint).toMatch(/WAPI_API_KEY or --api-key-file/);
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain('wrong-key-123');
      const wrongTenant = new WapiClient({ url: gateway.url('/cc/v1/wapi'), credentials: { tenant: 'Other', apiKey: KEY } });
      await expect(wrongTenant.ping()).rejects.toMatchObject({ code: 'WAPI_AUTH' });
      await wrongTenant.close();
    } finally {
      await client.close();
    }
    expect(gateway.received.length - before).toBe(2);
  });

  it('imports and exports through the CLI with WAPI_TENANT and WAPI_API_KEY only (no username, no password)', async () => {
    process.env['WAPI_TENANT'] = 'AcmeJets';
    process.env['WAPI_API_KEY'] = KEY;
    delete process.env['WAPI_USERNAME'];
    delete process.env['WAPI_PASSWORD'];
    const mapping = join(dir, 'people.yaml');
    writeFileSync(mapping, 'object: customer\naction: add\nkey: id\nfields:\n  FIRSTNAME: first\n  LASTNAME: last\n  EMAIL: email\n  AUTOPASSWD: { value: "TRUE" }\n');
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'id,first,last,email\n1,Grace,Hopper,grace@example.com\n2,Alan,Turing,alan@example.com\n3,Ada,Byron,ada.byron@example.com\n');
    const url = gateway.url('/cc/v1/wapi');
    const imported = await cli(['import', csv, '--mapping', mapping, '--url', url, '--out', join(dir, 'out')]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const exported = await cli(['export', 'customer', '--url', url, '--out', join(dir, 'customers.csv')]);
    expect(exported.code).toBe(0);
    const text = readFileSync(join(dir, 'customers.csv'), 'utf8');
    for (const email of ['grace@example.com', 'alan@example.com', 'ada.byron@example.com']) expect(text).toContain(email);
  });

  it('refuses to start without the API key, naming WAPI_API_KEY; never asks for a password', async () => {
    process.env['WAPI_TENANT'] = 'AcmeJets';
    delete process.env['WAPI_API_KEY'];
    const { code, stderr } = await cli(['export', 'customer', '--url', 'https://api.8x8.com/cc/v1/wapi', '--out', join(dir, 'x.csv')]);
    expect(code).toBe(2);
    expect(stderr).toBe('wapi-bulk: missing connection settings for https://api.8x8.com/cc/v1/wapi: WAPI_API_KEY or --api-key-file (set WAPI_TENANT and WAPI_API_KEY (an Admin Console API key), or pass --tenant and --api-key-file)\n');
  });
});
