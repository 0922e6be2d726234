import { readFileSync, statSync } from 'node:fs';
import { inspect } from 'node:util';
import { Option, type Command } from 'commander';
import { ConfigError } from '../protocol/errors.js';
import type { Credentials } from '../protocol/request.js';
import type { ClientConnection } from '../client/wapi-client.js';
import { displayUrl, redactUrlText } from '../client/secrets.js';
import { GATEWAY_PATH, TRANSPORTS, transportFor, type Transport } from '../client/transport.js';
import { wholeNumber } from './arguments.js';

/** Where `wapi-bulk serve` listens by default, and so where the tools look by default. */
export const DEFAULT_URL = 'http://127.0.0.1:8088/WAPI/wapi.php';

export interface ConnectionFlags {
  url?: string;
  tenant?: string;
  username?: string;
  passwordFile?: string;
  apiKeyFile?: string;
  transport?: Transport;
  maxReplyMb?: number;
  requestTimeout?: number;
}

/** Everything a command needs to reach the CRM API; pass it to WapiClient as it is. */
export interface Connection extends ClientConnection {
  /** The endpoint without userinfo: what the state file keys on, with `credentials.tenant`. */
  readonly url: string;
  /** The endpoint fit to print: no userinfo, no query string. */
  readonly displayUrl: string;
  readonly transport: Transport;
}

/**
 * Add the connection flags every networked command takes. The password and the API key have no
 * flag on purpose: they would show in `ps` and in shell history.
 */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', `CRM API endpoint, …/WAPI/wapi.php or …${GATEWAY_PATH} (env WAPI_URL)`, undefined)
    .addOption(new Option('--transport <kind>', 'form (/WAPI/wapi.php) or gateway (API key); default: from the URL (env WAPI_TRANSPORT)').choices(TRANSPORTS))
    .option('--tenant <name>', 'tenant name (env WAPI_TENANT)')
    .option('--username <name>', 'CRM API user, form transport (env WAPI_USERNAME)')
    .option('--password-file <file>', 'file holding the password, form transport (else env WAPI_PASSWORD)')
    .option('--api-key-file <file>', 'file holding the API key, gateway transport (else env WAPI_API_KEY)')
    .option('--max-reply-mb <n>', 'largest reply accepted, in MB (default 256)', wholeNumber('--max-reply-mb', 1))
    .option('--request-timeout <seconds>', 'longest one request may take, reply included (default 300)', wholeNumber('--request-timeout', 1));
}

function isLocal(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname.toLowerCase());
}

/** Read a secret from a file: one trailing line end dropped; a warning if others may read it. */
function readSecretFile(flag: string, file: string, warn: (message: string) => void): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, `give a readable file holding only the ${flag === '--api-key-file' ? 'API key' : 'password'}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new ConfigError(`${flag} ${file} is empty`, `write the ${flag === '--api-key-file' ? 'API key' : 'password'} into it`);
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) warn(`${flag} ${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 ${file}`);
  }
  return secret;
}

/**
 * Credentials whose password and API key stay out of JSON.stringify and console.log (the
 * properties are still there for the client to send).
 */
function guarded(credentials: Credentials): Credentials {
  const shown = () => ({
    tenant: credentials.tenant,
    ...(credentials.username === undefined ? {} : { username: credentials.username }),
    ...(credentials.password === undefined ? {} : { password: '[redacted]' }),
    ...(credentials.apiKey === undefined ? {} : { apiKey: '[redacted]' }),
  });
  Object.defineProperty(credentials, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(credentials, inspect.custom, { value: () => `Credentials ${inspect(shown())}`, enumerable: false });
  return credentials;
}

/**
 * Resolve connection settings from flags, then the environment. The password and the API key
 * only ever come from the environment or a file, so they never show in `ps` or shell history;
 * a URL with `user:pass@` in it has them removed (with a warning) before it is used or kept.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (message) => process.stderr.write(`warning: ${message}\n`),
): Connection {
  const raw = flags.url ?? env['WAPI_URL'] ?? DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`"${redactUrlText(raw)}" is not a URL`, `give the endpoint in full, e.g. --url https://vcc-na4.8x8.com/WAPI/wapi.php or https://api.8x8.com${GATEWAY_PATH}`);
  }
  // Rewritten only when userinfo goes: state files key on the URL as typed.
  let url = raw;
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '';
    parsed.password = '';
    url = parsed.href;
    warn(`the URL held a user name or password, which wapi-bulk removed and will not use: give them as WAPI_USERNAME and WAPI_PASSWORD (or --password-file), never in a URL`);
  }
  const explicit = flags.transport ?? env['WAPI_TRANSPORT'];
  if (explicit !== undefined && !TRANSPORTS.includes(explicit as Transport)) {
    throw new ConfigError(`WAPI_TRANSPORT is "${explicit}"`, 'use form or gateway');
  }
  const transport = transportFor(parsed, explicit as Transport | undefined);
  const tenant = flags.tenant ?? env['WAPI_TENANT'];
  const missing: string[] = [tenant ? '' : '--tenant or WAPI_TENANT'];
  let credentials: Credentials;
  if (transport === 'gateway') {
    const apiKey = flags.apiKeyFile !== undefined ? readSecretFile('--api-key-file', flags.apiKeyFile, warn) : env['WAPI_API_KEY'];
    missing.push(apiKey ? '' : 'WAPI_API_KEY or --api-key-file');
    credentials = { tenant: tenant ?? '', apiKey };
  } else {
    const username = flags.username ?? env['WAPI_USERNAME'];
    const password = flags.passwordFile !== undefined ? readSecretFile('--password-file', flags.passwordFile, warn) : env['WAPI_PASSWORD'];
    missing.push(username ? '' : '--username or WAPI_USERNAME', password ? '' : 'WAPI_PASSWORD or --password-file');
    credentials = { tenant: tenant ?? '', username, password };
  }
  const gaps = missing.filter((m) => m !== '');
  if (gaps.length > 0) {
    const local = isLocal(parsed);
    const keyInstead = transport === 'form' && (env['WAPI_API_KEY'] || flags.apiKeyFile) ? ` (an API key is set: for 8x8's API gateway use --url https://api.8x8.com${GATEWAY_PATH} or --transport gateway)` : '';
    const hint =
      transport === 'gateway'
        ? local
          ? "for the built-in emulator's gateway: export WAPI_TENANT=AcmeJets WAPI_API_KEY=acme-demo-key"
          : 'set WAPI_TENANT and WAPI_API_KEY (an Admin Console API key), or pass --tenant and --api-key-file'
        : local
          ? 'for the built-in emulator: export WAPI_TENANT=AcmeJets WAPI_USERNAME=johnd WAPI_PASSWORD=john123'
          : 'set WAPI_TENANT, WAPI_USERNAME and WAPI_PASSWORD, or pass --tenant, --username and --password-file';
    throw new ConfigError(`missing connection settings for ${displayUrl(parsed)}: ${gaps.join(', ')}${keyInstead}`, hint);
  }
  return {
    url,
    displayUrl: displayUrl(parsed),
    transport,
    credentials: guarded(credentials),
    maxReplyBytes: flags.maxReplyMb === undefined ? undefined : flags.maxReplyMb * 1024 * 1024,
    requestTimeoutMs: flags.requestTimeout === undefined ? undefined : flags.requestTimeout * 1000,
  };
}
