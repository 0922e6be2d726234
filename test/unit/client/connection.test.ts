/** resolveConnection (src/cli/connection.ts): flags, environment, files, and what is never shown. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConnection, type ConnectionFlags } from '../../../src/cli/connection.js';
import { ConfigError } from '../../../src/protocol/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'wapi-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function resolve(flags: ConnectionFlags, env: Record<string, string> = {}) {
  const warnings: string[] = [];
  const connection = resolveConnection(flags, env, (m) => warnings.push(m));
  return { connection, warnings };
}

function refusal(flags: ConnectionFlags, env: Record<string, string> = {}): ConfigError {
  try {
    resolve(flags, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const FORM_ENV = { WAPI_TENANT: 'AcmeJets', WAPI_USERNAME: 'johnd', WAPI_PASSWORD: 'john123' };
const GATEWAY = 'https://api.8x8.com/cc/v1/wapi';

describe('resolveConnection', () => {
  it('defaults to the emulator over the form transport', () => {
    const { connection, warnings } = resolve({}, FORM_ENV);
    expect(connection).toMatchObject({ url: 'http://127.0.0.1:8088/WAPI/wapi.php', transport: 'form', credentials: { tenant: 'AcmeJets', username: 'johnd', password: 'john123' } });
    expect(warnings).toEqual([]);
  });

  it('takes the gateway from the URL: tenant and API key, no username or password', () => {
    const { connection } = resolve({ url: GATEWAY }, { WAPI_TENANT: 'AcmeJets', WAPI_API_KEY: 'k-123' });
    expect(connection.transport).toBe('gateway');
    expect(connection.credentials).toMatchObject({ tenant: 'AcmeJets', apiKey: 'k-123' });
    expect(connection.credentials.password).toBeUndefined();
  });

  it('takes --transport and WAPI_TRANSPORT over the path', () => {
    expect(resolve({ url: 'https://proxy.example.com/crm', transport: 'gateway' }, { WAPI_TENANT: 'A', WAPI_API_KEY: 'k' }).connection.transport).toBe('gateway');
    expect(resolve({ url: 'https://proxy.example.com/crm' }, { WAPI_TENANT: 'A', WAPI_API_KEY: 'k', WAPI_TRANSPORT: 'gateway' }).connection.transport).toBe('gateway');
    expect(refusal({}, { ...FORM_ENV, WAPI_TRANSPORT: 'soap' }).message).toMatch(/WAPI_TRANSPORT is "soap"/);
  });

  it('reads the API key from --api-key-file, and the password from --password-file', () => {
    const key = secretFile('key', 'k-from-file\n');
    expect(resolve({ url: GATEWAY, tenant: 'AcmeJets', apiKeyFile: key }).connection.credentials.apiKey).toBe('k-from-file');
    const password = secretFile('password', 'from-file\r\n');
    expect(resolve({ tenant: 'AcmeJets', username: 'johnd', passwordFile: password }).connection.credentials.password).toBe('from-file');
  });

  it('warns when a password or key file can be read by others', () => {
    const key = secretFile('open-key', 'k', 0o644);
    const { warnings } = resolve({ url: GATEWAY, tenant: 'AcmeJets', apiKeyFile: key });
    expect(warnings).toEqual([`--api-key-file ${key} can be read by other users (mode 0644): chmod 600 ${key}`]);
    const password = secretFile('open-password', 'p', 0o640);
    expect(resolve({ tenant: 'AcmeJets', username: 'johnd', passwordFile: password }).warnings[0]).toMatch(/--password-file .* \(mode 0640\)/);
  });

  it('refuses an empty or unreadable secret file', () => {
    expect(refusal({ url: GATEWAY, tenant: 'A', apiKeyFile: secretFile('empty', '\n') }).message).toMatch(/is empty/);
    expect(refusal({ url: GATEWAY, tenant: 'A', apiKeyFile: join(dir, 'nope') }).message).toMatch(/cannot read --api-key-file .*ENOENT/);
  });

  it('names every missing setting in one line; the sample credentials only for a local URL', () => {
    const local = refusal({}, {});
    expect(local.message).toBe('missing connection settings for http://127.0.0.1:8088/WAPI/wapi.php: --tenant or WAPI_TENANT, --username or WAPI_USERNAME, WAPI_PASSWORD or --password-file');
    expect(local.hint).toMatch(/WAPI_TENANT=AcmeJets WAPI_USERNAME=johnd WAPI_PASSWORD=john123/);

    const real = refusal({ url: 'https://vcc-na4.8x8.com/WAPI/wapi.php' }, { WAPI_TENANT: 'AcmeJets' });
    expect(real.message).toBe('missing connection settings for https://vcc-na4.8x8.com/WAPI/wapi.php: --username or WAPI_USERNAME, WAPI_PASSWORD or --password-file');
    expect(real.hint).not.toMatch(/john|AcmeJets/);

    const gateway = refusal({ url: GATEWAY }, {});
    expect(gateway.message).toBe(`missing connection settings for ${GATEWAY}: --tenant or WAPI_TENANT, WAPI_API_KEY or --api-key-file`);
    expect(gateway.hint).not.toMatch(/acme-demo-key|AcmeJets/);
    expect(refusal({ url: 'http://localhost:8088/cc/v1/wapi' }, {}).hint).toMatch(/WAPI_API_KEY=acme-demo-key/);
  });

  it('does not ask for an API key over the form transport, nor a password over the gateway, and says which one a key is for', () => {
    const error = refusal({ url: 'https://vcc-na4.8x8.com/WAPI/wapi.php' }, { WAPI_TENANT: 'A', WAPI_API_KEY: 'k' });
    expect(error.message).toMatch(/WAPI_PASSWORD or --password-file \(an API key is set: for 8x8's API gateway use --url https:\/\/api\.8x8\.com\/cc\/v1\/wapi or --transport gateway\)/);
    expect(() => resolve({ url: GATEWAY }, { WAPI_TENANT: 'A', WAPI_API_KEY: 'k' })).not.toThrow();
  });

  it('a URL with user:pass@: stripped with a warning, never echoed nor kept', () => {
    const { connection, warnings } = resolve({ url: 'https://bob:hunter2@vcc-na4.8x8.com/WAPI/wapi.php' }, FORM_ENV);
    expect(connection.url).toBe('https://vcc-na4.8x8.com/WAPI/wapi.php');
    expect(connection.displayUrl).toBe('https://vcc-na4.8x8.com/WAPI/wapi.php');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/user name or password, which wapi-bulk removed/);
    expect(JSON.stringify({ connection, warnings })).not.toMatch(/hunter2|bob/);
    const missing = refusal({ url: 'https://bob:hunter2@vcc-na4.8x8.com/WAPI/wapi.php' }, {});
    expect(`${missing.message} ${missing.hint}`).not.toMatch(/hunter2|bob/);
    const broken = refusal({ url: 'https://bob:hunter2@' }, FORM_ENV);
    expect(broken.message).not.toMatch(/hunter2/);
  });

  it('keeps a URL as typed when nothing is stripped (state files key on it)', () => {
    expect(resolve({ url: 'HTTP://Vcc.Example.com/WAPI/wapi.php' }, FORM_ENV).connection.url).toBe('HTTP://Vcc.Example.com/WAPI/wapi.php');
  });

  it('never prints the password or the API key, as JSON or with console.log', () => {
    const form = resolve({}, FORM_ENV).connection;
    const gateway = resolve({ url: GATEWAY }, { WAPI_TENANT: 'AcmeJets', WAPI_API_KEY: 'k-123-secret' }).connection;
    for (const shown of [JSON.stringify(form), inspect(form, { depth: 5 }), JSON.stringify(gateway), inspect(gateway, { depth: 5 })]) {
      expect(shown).not.toMatch(/john123|k-123-secret/);
    }
    expect(JSON.stringify(form)).toMatch(/"password":"\[redacted\]"/);
    // The client still gets them.
    expect(form.credentials.password).toBe('john123');
    expect(gateway.credentials.apiKey).toBe('k-123-secret');
  });

  it('passes the reply cap and the request deadline on in bytes and milliseconds', () => {
    expect(resolve({ maxReplyMb: 8, requestTimeout: 30 }, FORM_ENV).connection).toMatchObject({ maxReplyBytes: 8 * 1024 * 1024, requestTimeoutMs: 30_000 });
  });
});
