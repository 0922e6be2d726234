import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ConfigError } from '../protocol/errors.js';
import { checkTimeZone } from './dates.js';
import { FaultScript } from './fault-script.js';
import { readFixturesFile, loadFixtures } from './fixtures.js';
import type { EmulatorOptions, Fixtures, RunningEmulator } from './options.js';
import { createEmulatorServer, ENDPOINT, GATEWAY_PATH } from './server.js';
import { Store } from './store.js';
import { loadTenant } from './tenant.js';

export type { EmulatorOptions, FaultOptions, Fixtures, ReplyStyle, RunningEmulator } from './options.js';
export type { FaultKind, FaultScriptEntry, FiredFault } from './fault-script.js';

/** Defaults of the server's limits (README, "Limits"). */
export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} must be a whole number of at least 1, not ${value}`);
  return value;
}

/** The packaged default tenant (samples/tenant.yaml), found from src/ and from dist/ alike. */
export const DEFAULT_TENANT_CONFIG = fileURLToPath(new URL('../../samples/tenant.yaml', import.meta.url));

/**
 * Start the Local CRM emulator in-process. Resolves once it listens; `url` is the endpoint as
 * clients use it. Used by `wapi-bulk serve`, the demo, the tests and the benchmarks.
 */
export async function startEmulator(options: EmulatorOptions & { logger?: Logger } = {}): Promise<RunningEmulator> {
  const maxItems = positive('maxItems', options.maxItems ?? 1000);
  const timeZone = checkTimeZone(options.timezone ?? 'UTC');
  const replyStyle = options.replyStyle ?? 'guide';
  if (replyStyle !== 'guide' && replyStyle !== 'live') throw new ConfigError(`replyStyle must be guide or live, not ${String(replyStyle)}`);
  const maxConnections = positive('maxConnections', options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const faultScript = new FaultScript(options.faultScript);
  const tenant = loadTenant(options.tenantConfig ?? DEFAULT_TENANT_CONFIG);
  const store = new Store(options.db ?? ':memory:', tenant, timeZone);
  const now = options.now ?? (() => new Date());
  const load = (fixtures: Fixtures) => loadFixtures(store, tenant, fixtures, now(), timeZone);
  try {
    if (options.fixtures !== undefined) {
      load(typeof options.fixtures === 'string' ? readFixturesFile(options.fixtures) : options.fixtures);
    }
  } catch (error) {
    store.close();
    throw error;
  }
  const server = createEmulatorServer({
    store,
    tenant,
    maxItems,
    now,
    timeZone,
    logger: options.logger,
    faults: options,
    faultScript,
    replyStyle,
    maxConnections,
    requestTimeoutMs,
  });
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8088;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new ConfigError(`cannot listen on ${host}:${port} (${code})`, 'choose another --port (0 takes a free one) or --host');
    }
    throw error;
  }
  const bound = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  let closed = false;
  return {
    url: `http://${hostForUrl}:${bound}${ENDPOINT}`,
    gatewayUrl: `http://${hostForUrl}:${bound}${GATEWAY_PATH}`,
    faultLog: () => faultScript.log(),
    loadFixtures: load,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
