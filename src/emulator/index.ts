import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ConfigError } from '../protocol/errors.js';
import { readFixturesFile, loadFixtures } from './fixtures.js';
import type { EmulatorOptions, Fixtures, RunningEmulator } from './options.js';
import { createEmulatorServer, ENDPOINT } from './server.js';
import { Store } from './store.js';
import { loadTenant } from './tenant.js';

export type { EmulatorOptions, FaultOptions, Fixtures, RunningEmulator } from './options.js';

/** The packaged default tenant (samples/tenant.yaml), found from src/ and from dist/ alike. */
export const DEFAULT_TENANT_CONFIG = fileURLToPath(new URL('../../samples/tenant.yaml', import.meta.url));

/**
 * Start the Local CRM emulator in-process. Resolves once it listens; `url` is the endpoint as
 * clients use it. Used by `wapi-bulk serve`, the demo, the tests and the benchmarks.
 */
export async function startEmulator(options: EmulatorOptions & { logger?: Logger } = {}): Promise<RunningEmulator> {
  const maxItems = options.maxItems ?? 1000;
  if (!Number.isSafeInteger(maxItems) || maxItems < 1) throw new ConfigError(`maxItems must be a whole number of at least 1, not ${maxItems}`);
  const tenant = loadTenant(options.tenantConfig ?? DEFAULT_TENANT_CONFIG);
  const store = new Store(options.db ?? ':memory:', tenant);
  const now = options.now ?? (() => new Date());
  const load = (fixtures: Fixtures) => loadFixtures(store, tenant, fixtures, now());
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
    logger: options.logger,
    faults: options,
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
