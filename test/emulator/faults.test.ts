/**
 * Fault injection (issue 3, "Fault injection"): failRate, failAfterCommitRate, resetRate,
 * rateLimit, latency and seed, seen over HTTP; and what our WapiClient does with each: it retries
 * what is safe (a GET after a 500 or a reset, anything after a 429) and never sends an ADD again
 * after a failure that may have come after the ADD was applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { WapiClient } from '../../src/client/wapi-client.js';
import { Faults, parseLatency } from '../../src/emulator/faults.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { TransportError } from '../../src/protocol/errors.js';
import { parseReply } from '../../src/protocol/reply.js';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';
import { CREDENTIALS, customerTags, emulator, get } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-faults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let dbCount = 0;
const newDb = () => join(dir, `crm-${++dbCount}.db`);

const ADD_BODY = encodeForm(buildRequest(CREDENTIALS, { object: 'CUSTOMER', action: 'ADD', tags: customerTags() }));
const GROUPS_BODY = encodeForm(buildRequest(CREDENTIALS, { object: 'GROUPS', action: 'LIST', tags: [] }));

type Outcome = { status: number; retryAfter?: string; body: string } | { error: string };

/** One POST on a new connection, its outcome whatever it is. */
async function attempt(url: string, body: string): Promise<Outcome> {
  try {
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' }, body, reset: true });
    const text = await res.body.text();
    const retryAfter = res.headers['retry-after'];
    return { status: res.statusCode, body: text, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? (error as Error).message };
  }
}

const kind = (o: Outcome) => ('error' in o ? 'reset' : String(o.status));

/** How many customers a database holds, read by an emulator without faults. */
async function customersIn(db: string): Promise<number> {
  const clean = await emulator({ db });
  try {
    return (await get(clean.url, 'CUSTOMER', [['ACCOUNTNUM', '%']])).length;
  } finally {
    await clean.close();
  }
}

async function withEmulator<T>(options: EmulatorOptions, fn: (url: string) => Promise<T>): Promise<T> {
  const emu = await emulator(options);
  try {
    return await fn(emu.url);
  } finally {
    await emu.close();
  }
}

describe('the faults, over HTTP', () => {
  it('failRate: HTTP 500 with an error reply, before the command runs (nothing is applied)', async () => {
    const db = newDb();
    const outcomes = await withEmulator({ db, failRate: 1 }, async (url) => [await attempt(url, ADD_BODY), await attempt(url, ADD_BODY)]);
    for (const outcome of outcomes) {
      expect(kind(outcome)).toBe('500');
      const reply = parseReply((outcome as { body: string }).body);
      expect([reply.status, reply.errorCode, reply.errorStr]).toEqual(['-1', '99', 'Internal Error']);
    }
    expect(await customersIn(db)).toBe(0);
  });

  it('failAfterCommitRate: the command IS applied, then a 500 or a dropped connection', async () => {
    const db = newDb();
    const outcomes = await withEmulator({ db, failAfterCommitRate: 1, seed: 7 }, async (url) => {
      const all: Outcome[] = [];
      for (let i = 0; i < 12; i++) all.push(await attempt(url, ADD_BODY));
      return all;
    });
    const kinds = new Set(outcomes.map(kind));
    expect(kinds).toEqual(new Set(['500', 'reset']));
    expect(await customersIn(db)).toBe(12);
  });

  it('resetRate: a TCP reset instead of a reply, before the command runs', async () => {
    const db = newDb();
    const outcomes = await withEmulator({ db, resetRate: 1 }, async (url) => [await attempt(url, ADD_BODY), await attempt(url, ADD_BODY)]);
    expect(outcomes.map(kind)).toEqual(['reset', 'reset']);
    expect(await customersIn(db)).toBe(0);
  });

  it('rateLimit: past N requests in a second, HTTP 429 with Retry-After; the refused commands are not applied', async () => {
    const db = newDb();
    const limit = 2;
    const { outcomes, seconds } = await withEmulator({ db, rateLimit: limit }, async (url) => {
      const first = Math.floor(Date.now() / 1000);
      const all = await Promise.all(Array.from({ length: 20 }, () => attempt(url, ADD_BODY)));
      return { outcomes: all, seconds: Math.floor(Date.now() / 1000) - first + 1 };
    });
    const limited = outcomes.filter((o) => kind(o) === '429');
    const passed = outcomes.filter((o) => kind(o) === '200');
    expect(limited.length + passed.length).toBe(20);
    // At most `limit` requests get through in each second the burst spanned.
    expect(passed.length).toBeLessThanOrEqual(limit * seconds);
    expect(limited.length).toBeGreaterThan(0);
    for (const o of limited) expect((o as { retryAfter?: string }).retryAfter).toBe('1');
    expect(await customersIn(db)).toBe(passed.length);
  });

  it('latency: requests are still answered correctly', async () => {
    await withEmulator({ latency: [5, 15] }, async (url) => {
      const outcome = await attempt(url, GROUPS_BODY);
      expect(kind(outcome)).toBe('200');
      expect(parseReply((outcome as { body: string }).body).items).toHaveLength(2);
    });
  });

  it('seed: the same seed gives the same faults for the same requests; another seed, others', async () => {
    const run = (seed: number) =>
      withEmulator({ failRate: 0.3, resetRate: 0.2, seed }, async (url) => {
        const kinds: string[] = [];
        for (let i = 0; i < 40; i++) kinds.push(kind(await attempt(url, GROUPS_BODY)));
        return kinds.join(' ');
      });
    const a = await run(42);
    expect(await run(42)).toBe(a);
    expect(await run(43)).not.toBe(a);
    expect(a).toMatch(/200/);
    expect(a).toMatch(/500/);
    expect(a).toMatch(/reset/);
  });

  it('no fault options: no faults', async () => {
    await withEmulator({ seed: 1 }, async (url) => {
      for (let i = 0; i < 20; i++) expect(kind(await attempt(url, GROUPS_BODY))).toBe('200');
    });
  });
});

describe('the fault generator (pure)', () => {
  it('latency is a fixed number or uniform in [min, max], repeatable with a seed', () => {
    const a = new Faults({ latency: [10, 20], seed: 5 });
    const b = new Faults({ latency: [10, 20], seed: 5 });
    const xs = Array.from({ length: 100 }, () => a.latencyMs());
    expect(Array.from({ length: 100 }, () => b.latencyMs())).toEqual(xs);
    expect(xs.every((x) => x >= 10 && x <= 20)).toBe(true);
    expect(new Faults({ latency: 7 }).latencyMs()).toBe(7);
    expect(new Faults({}).latencyMs()).toBe(0);
  });

  it('rates are probabilities: about the share asked for', () => {
    const faults = new Faults({ failRate: 0.25, seed: 9 });
    const fails = Array.from({ length: 4000 }, () => faults.before(0)).filter((f) => f === 'fail').length;
    expect(fails / 4000).toBeGreaterThan(0.2);
    expect(fails / 4000).toBeLessThan(0.3);
  });

  it('the rate limit counts per second', () => {
    const faults = new Faults({ rateLimit: 3 });
    expect([0, 100, 200, 300, 999].map((t) => faults.before(1_000_000 + t))).toEqual(['none', 'none', 'none', 'rate-limited', 'rate-limited']);
    expect(faults.before(1_001_000)).toBe('none');
  });

  it.each([
    ['50', 50],
    ['20-80', [20, 80]],
    ['0.5-1.5', [0.5, 1.5]],
  ] as const)('--latency %s', (text, expected) => {
    expect(parseLatency(text)).toEqual(expected);
  });

  it('--latency refuses anything else', () => {
    expect(() => parseLatency('fast')).toThrow('--latency takes MS or MIN-MAX, not "fast"');
  });
});

describe('WapiClient against the faults', () => {
  const client = (url: string) => new WapiClient({ url, credentials: CREDENTIALS, retries: 8, retryBaseMs: 1, retryMaxMs: 5, connections: 2 });

  it('retries a GET after HTTP 500s and resets until it gets its reply', async () => {
    await withEmulator({ failRate: 0.4, resetRate: 0.2, seed: 3 }, async (url) => {
      const wapi = client(url);
      try {
        for (let i = 0; i < 10; i++) {
          const reply = await wapi.call({ object: 'GROUPS', action: 'LIST', tags: [] });
          expect(reply.items).toHaveLength(2);
        }
        expect(wapi.stats.retries).toBeGreaterThan(0);
      } finally {
        await wapi.close();
      }
    });
  });

  it('retries anything after a 429, an ADD included: it was refused before it ran', async () => {
    const db = newDb();
    await withEmulator({ db, rateLimit: 1 }, async (url) => {
      const wapi = client(url);
      try {
        const replies = await Promise.all(Array.from({ length: 3 }, () => wapi.call({ object: 'CUSTOMER', action: 'ADD', tags: customerTags() })));
        expect(replies.every((r) => r.status === '0')).toBe(true);
        expect(wapi.stats.retries).toBeGreaterThan(0);
      } finally {
        await wapi.close();
      }
    });
    expect(await customersIn(db)).toBe(3);
  });

  it('does not send an ADD again after a failure that came after it was applied', async () => {
    const db = newDb();
    await withEmulator({ db, failAfterCommitRate: 1, seed: 11 }, async (url) => {
      const wapi = client(url);
      try {
        for (let i = 0; i < 4; i++) {
          const error = await wapi.call({ object: 'CUSTOMER', action: 'ADD', tags: customerTags() }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(TransportError);
          expect((error as TransportError).ambiguous).toBe(true);
        }
        expect(wapi.stats.retries).toBe(0);
      } finally {
        await wapi.close();
      }
    });
    // Each ADD happened exactly once: no duplicate customers.
    expect(await customersIn(db)).toBe(4);
  });

  it('does not send an ADD again after a plain 500 either: the client cannot tell it came first', async () => {
    const db = newDb();
    await withEmulator({ db, failRate: 1 }, async (url) => {
      const wapi = client(url);
      try {
        await expect(wapi.call({ object: 'CUSTOMER', action: 'ADD', tags: customerTags() })).rejects.toMatchObject({ code: 'WAPI_HTTP_STATUS', ambiguous: true });
        expect(wapi.stats).toMatchObject({ requests: 1, retries: 0 });
        // A GET it retries, to the end of its retries.
        await expect(wapi.call({ object: 'GROUPS', action: 'LIST', tags: [] })).rejects.toMatchObject({ code: 'WAPI_HTTP_STATUS' });
        expect(wapi.stats.retries).toBe(8);
      } finally {
        await wapi.close();
      }
    });
    expect(await customersIn(db)).toBe(0);
  });
});
