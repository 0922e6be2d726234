import type { FaultScriptEntry, FiredFault } from './fault-script.js';

/**
 * The emulator's public options, shared by `wapi-bulk serve` and `startEmulator()`.
 */

/**
 * How GET replies lay out their ITEMs. `guide`: the guide's field tables, in catalogue order.
 * `live`: as a reply captured from a live tenant (README, "The emulator"); the API gateway
 * always answers so.
 */
export type ReplyStyle = 'guide' | 'live';

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
  /** The server clock's IANA time zone (default UTC): reply timestamps and day filters use it. */
  readonly timezone?: string;
  /** Reply style of /WAPI/wapi.php (default `guide`); the gateway always answers `live`. */
  readonly replyStyle?: ReplyStyle;
  /** Faults by position (a YAML/JSON file or the entries): see fault-script.ts. */
  readonly faultScript?: string | readonly FaultScriptEntry[];
  /** Most connections open at once (default 256); more are closed as they come. */
  readonly maxConnections?: number;
  /**
   * Most time a request may take to arrive, headers and body (default 10,000 ms): a slower one
   * gets HTTP 408 and its connection closed. A reader that takes no reply data for as long is
   * dropped too.
   */
  readonly requestTimeoutMs?: number;
}

export interface RunningEmulator {
  /** The endpoint as clients use it: http://HOST:PORT/WAPI/wapi.php */
  readonly url: string;
  /** The API gateway endpoint: http://HOST:PORT/cc/v1/wapi */
  readonly gatewayUrl: string;
  /** The scripted faults that fired so far, in order. */
  faultLog(): readonly FiredFault[];
  /** Insert more fixtures into the running emulator. */
  loadFixtures(fixtures: Fixtures): void;
  close(): Promise<void>;
}
