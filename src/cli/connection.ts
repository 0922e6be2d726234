import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../protocol/errors.js';
import type { Credentials } from '../protocol/request.js';

/** Where `wapi-bulk serve` listens by default, and so where the tools look by default. */
export const DEFAULT_URL = 'http://127.0.0.1:8088/WAPI/wapi.php';

export interface ConnectionFlags {
  url?: string;
  tenant?: string;
  username?: string;
  passwordFile?: string;
}

export interface Connection {
  readonly url: string;
  readonly credentials: Credentials;
}

/** Add the connection flags every networked command takes. The password has no flag on purpose. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', 'CRM API endpoint (env WAPI_URL)', undefined)
    .option('--tenant <name>', 'tenant name (env WAPI_TENANT)')
    .option('--username <name>', 'CRM API user (env WAPI_USERNAME)')
    .option('--password-file <file>', 'file holding the password (else env WAPI_PASSWORD)');
}

/**
 * Resolve connection settings from flags, then the environment. The password only ever comes
 * from WAPI_PASSWORD or --password-file, so it never shows in `ps` or shell history.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const url = flags.url ?? env['WAPI_URL'] ?? DEFAULT_URL;
  const tenant = flags.tenant ?? env['WAPI_TENANT'];
  const username = flags.username ?? env['WAPI_USERNAME'];
  let password = env['WAPI_PASSWORD'];
  if (flags.passwordFile !== undefined) {
    try {
      password = readFileSync(flags.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(
        `cannot read --password-file ${flags.passwordFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        'give a readable file holding only the password',
      );
    }
  }
  const missing = [
    tenant ? undefined : '--tenant or WAPI_TENANT',
    username ? undefined : '--username or WAPI_USERNAME',
    password ? undefined : 'WAPI_PASSWORD or --password-file',
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `missing connection settings: ${missing.join(', ')}`,
      'for the built-in emulator: export WAPI_TENANT=AcmeJets WAPI_USERNAME=johnd WAPI_PASSWORD=john123',
    );
  }
  return { url, credentials: { tenant: tenant as string, username: username as string, password: password as string } };
}
