/**
 * The emulator's public options, shared by `wapi-bulk serve` and `startEmulator()`.
 */

export interface FaultOptions {
  /** Added latency per request in ms: a fixed number or [min, max] (uniform jitter). */
  readonly latency?: number | readonly [number, number];
  /** Probability of an HTTP 500 before the command runs. */
  readonly failRate?: number;
  /** Probability that the command is applied, then the connection dropped or a 500 returned. */
  readonly failAfterCommitRate?: number;
  /** Probability of a TCP reset instead of a reply (before the command runs). */
  readonly resetRate?: number;
  /** More than this many requests in one second get HTTP 429 with Retry-After. */
  readonly rateLimit?: number;
  /** Seed of the fault generator, for repeatable runs. */
  readonly seed?: number;
}

/**
 * Records to insert as they are, with the ids, dates and agents given: histories the API
 * itself cannot backdate. Tags as in the catalogue (ACCOUNTNUM, CASENUM, ...) plus custom
 * field tags; dates as ISO 8601 (`2024-03-01`, `2024-03-01T09:30:00`).
 * Id sequences continue after the highest id loaded.
 */
export interface Fixtures {
  readonly customers?: readonly Record<string, string | number>[];
  readonly cases?: readonly Record<string, string | number>[];
  readonly followups?: readonly Record<string, string | number>[];
  readonly tasks?: readonly Record<string, string | number>[];
  readonly faqcategories?: readonly Record<string, string | number>[];
  readonly faqs?: readonly Record<string, string | number>[];
}

export interface EmulatorOptions extends FaultOptions {
  readonly host?: string;
  /** 0 takes a free port. Default 8088. */
  readonly port?: number;
  /** SQLite file, or ':memory:' (default). */
  readonly db?: string;
  /** Path of a tenant YAML (default: the packaged samples/tenant.yaml). */
  readonly tenantConfig?: string;
  /** Most ITEMs in one GET reply (default 1000). */
  readonly maxItems?: number;
  /** A fixtures file (YAML or JSON) or the fixtures themselves. */
  readonly fixtures?: string | Fixtures;
  /** Clock, for tests that need fixed CREATEDDATE/LASTMODDATE. */
  readonly now?: () => Date;
}

export interface RunningEmulator {
  /** The endpoint as clients use it: http://HOST:PORT/WAPI/wapi.php */
  readonly url: string;
  /** Insert more fixtures into the running emulator. */
  loadFixtures(fixtures: Fixtures): void;
  close(): Promise<void>;
}
