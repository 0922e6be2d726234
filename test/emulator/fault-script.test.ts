/**
 * Issue "One source of truth": faults scripted by position (option `faultScript`, serve
 * --fault-script FILE). Tests of a client's recovery branches need exactly the Nth request of
 * an object and action to fail, before or after its command is applied, and to see that the
 * fault fired (`faultLog()`).
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { FaultScriptEntry, RunningEmulator } from '../../src/emulator/index.js';
import { parseReply } from '../../src/protocol/reply.js';
import { buildRequest, encodeForm } from '../../src/protocol/request.js';
import { CREDENTIALS, customerTags, emulator, get } from './helpers.js';

type Outcome = { status: number; body: string; contentType?: string } | { error: string };

/** One POST on a connection of its own, whatever comes back. */
async function attempt(url: string, object: string, action: string, tags: ReadonlyArray<readonly [string, string]> = [], giveUpMs?: number): Promise<Outcome> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
      body: encodeForm(buildRequest(CREDENTIALS, { object, action, tags })),
      reset: true,
      ...(giveUpMs !== undefined ? { signal: AbortSignal.timeout(giveUpMs) } : {}),
    });
    const contentType = res.headers['content-type'];
    return { status: res.statusCode, body: await res.body.text(), ...(typeof contentType === 'string' ? { contentType } : {}) };
  } catch (error) {
    return { error: (error as { name?: string }).name === 'TimeoutError' ? 'gave up' : ((error as { code?: string }).code ?? (error as Error).message) };
  }
}

/** What a client makes of an outcome: the HTTP status and the reply's STATUS, or the error. */
function seen(o: Outcome): string {
  if ('error' in o) return o.error;
  if (o.status !== 200) return String(o.status);
  return `200/${parseReply(o.body).status}`;
}

async function withScript<T>(faultScript: readonly FaultScriptEntry[], fn: (emu: RunningEmulator) => Promise<T>): Promise<T> {
  const emu = await emulator({ faultScript });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

const ADD = (emu: RunningEmulator) => attempt(emu.url, 'CUSTOMER', 'ADD', customerTags());
const GET = (emu: RunningEmulator) => attempt(emu.url, 'CUSTOMER', 'GET', [['LASTNAME', 'Lovelace']]);
const customers = async (emu: RunningEmulator) => (await get(emu.url, 'CUSTOMER', [['LASTNAME', 'Lovelace']])).length;

describe('the Nth request of an object and action', () => {
  it('fails exactly the 3rd CUSTOMER ADD, counted apart from the GETs; the fault is logged', async () => {
    await withScript([{ object: 'customer', action: 'add', nth: 3, fault: 'http500' }], async (emu) => {
      const outcomes = [await ADD(emu), await GET(emu), await ADD(emu), await GET(emu), await ADD(emu), await ADD(emu)];
      expect(outcomes.map(seen)).toEqual(['200/0', '200/0', '200/0', '200/0', '500', '200/0']);
      const failed = outcomes[4] as { body: string };
      expect(parseReply(failed.body)).toMatchObject({ status: '-1', errorCode: '99', errorStr: 'Internal Error' });
      expect(emu.faultLog()).toEqual([{ entry: 0, object: 'CUSTOMER', action: 'ADD', nth: 3, when: 'before', fault: 'http500' }]);
      // Before: the failed ADD was not applied.
      expect(await customers(emu)).toBe(3);
    });
  });

  it('after: the command IS applied, then the reply fails', async () => {
    await withScript([{ object: 'CUSTOMER', action: 'ADD', nth: 2, when: 'after', fault: 'reset' }], async (emu) => {
      expect([await ADD(emu), await ADD(emu), await ADD(emu)].map(seen)).toEqual(['200/0', 'ECONNRESET', '200/0']);
      expect(await customers(emu)).toBe(3);
      expect(emu.faultLog()).toMatchObject([{ nth: 2, when: 'after', fault: 'reset' }]);
    });
  });

  it('times and a list of positions: nth [2, 5] with times 2 fails the 2nd, 3rd, 5th and 6th', async () => {
    await withScript([{ object: 'GROUPS', action: 'LIST', nth: [2, 5], times: 2, fault: 'http503' }], async (emu) => {
      const kinds: string[] = [];
      for (let i = 0; i < 7; i++) kinds.push(seen(await attempt(emu.url, 'GROUPS', 'LIST')));
      expect(kinds).toEqual(['200/0', '503', '503', '200/0', '503', '503', '200/0']);
      expect(emu.faultLog().map((f) => f.nth)).toEqual([2, 3, 5, 6]);
    });
  });

  it('object or action left out: any; each entry counts what it matches', async () => {
    await withScript(
      [
        { action: 'GET', nth: 2, fault: 'http502' },
        { object: 'CUSTOMER', nth: 3, fault: 'permission' },
      ],
      async (emu) => {
        const outcomes = [await GET(emu), await ADD(emu), await attempt(emu.url, 'CASE', 'GET', [['CASENUM', '1']]), await GET(emu)];
        expect(outcomes.map(seen)).toEqual(['200/0', '200/0', '502', '200/310']);
        expect(emu.faultLog()).toMatchObject([
          { entry: 0, object: 'CASE', action: 'GET', nth: 2 },
          { entry: 1, object: 'CUSTOMER', action: 'GET', nth: 3 },
        ]);
      },
    );
  });

  it('a request that cannot be read, or names no object, is not counted', async () => {
    await withScript([{ nth: 1, fault: 'http500' }], async (emu) => {
      const unreadable = await request(emu.url, { method: 'POST', body: 'xml_query=<WAPI', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(parseReply(await unreadable.body.text()).errorCode).toBe('1');
      const noObject = await request(emu.url, { method: 'POST', body: encodeForm(`<WAPI><TENANT>AcmeJets</TENANT><USERNAME>johnd</USERNAME><PASSWORD>john123</PASSWORD><COMMAND ACTION="GET"/></WAPI>`), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(parseReply(await noObject.body.text()).errorStr).toBe('OBJECT value not passed');
      expect(emu.faultLog()).toEqual([]);
      expect(seen(await GET(emu))).toBe('500');
    });
  });

  it('the gateway counts with the form endpoint', async () => {
    await withScript([{ object: 'GROUPS', action: 'LIST', nth: 2, fault: 'login' }], async (emu) => {
      expect(seen(await attempt(emu.url, 'GROUPS', 'LIST'))).toBe('200/0');
      const res = await request(emu.gatewayUrl, { method: 'POST', headers: { 'x-8x8-tenant': 'AcmeJets', 'x-api-key': 'acme-demo-key', 'content-type': 'application/xml' }, body: '<COMMAND OBJECT="GROUPS" ACTION="LIST"/>' });
      expect(parseReply(await res.body.text())).toMatchObject({ status: '303', errorStr: 'Invalid login parameters.' });
    });
  });
});

describe('each fault', () => {
  it.each<[FaultScriptEntry['fault'], string, (o: Outcome) => void]>([
    ['http500', '500', (o) => expect(parseReply((o as { body: string }).body).errorCode).toBe('99')],
    ['http502', '502', (o) => expect(o).toMatchObject({ contentType: 'text/html', body: expect.stringContaining('502 Bad Gateway') })],
    ['http503', '503', (o) => expect(o).toMatchObject({ contentType: 'text/html', body: expect.stringContaining('503 Service Unavailable') })],
    ['reset', 'ECONNRESET', () => undefined],
    ['login', '200/303', (o) => expect(parseReply((o as { body: string }).body)).toMatchObject({ errorCode: '303', errorStr: 'Invalid login parameters.', items: [] })],
    ['permission', '200/310', (o) => expect(parseReply((o as { body: string }).body)).toMatchObject({ errorCode: '310', errorStr: 'Operation Denied. Not enough permissions' })],
  ])('%s', async (fault, expected, check) => {
    await withScript([{ object: 'CUSTOMER', action: 'ADD', nth: 1, fault }], async (emu) => {
      const outcome = await ADD(emu);
      expect(seen(outcome)).toBe(expected);
      check(outcome);
      expect(await customers(emu)).toBe(0);
      expect(seen(await ADD(emu))).toBe('200/0');
    });
  });

  it('timeout with delayMs: the reply comes late and whole; a client that gives up first leaves the command unapplied before it, applied after it', async () => {
    await withScript(
      [
        { object: 'CUSTOMER', action: 'ADD', nth: [1, 2], fault: 'timeout', delayMs: 300 },
        { object: 'CUSTOMER', action: 'ADD', nth: 3, when: 'after', fault: 'timeout', delayMs: 300 },
      ],
      async (emu) => {
        expect(seen(await ADD(emu))).toBe('200/0');
        expect(await customers(emu)).toBe(1);
        expect(seen(await attempt(emu.url, 'CUSTOMER', 'ADD', customerTags(), 50))).toBe('gave up');
        expect(seen(await attempt(emu.url, 'CUSTOMER', 'ADD', customerTags(), 50))).toBe('gave up');
        // Past the delays: the one held before its command was dropped with its client, the
        // one held after was applied.
        await expect.poll(() => emu.faultLog().length).toBe(3);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await customers(emu)).toBe(2);
        expect(emu.faultLog()).toMatchObject([
          { nth: 1, fault: 'timeout', delayMs: 300, when: 'before' },
          { nth: 2, fault: 'timeout', delayMs: 300, when: 'before' },
          { nth: 3, fault: 'timeout', delayMs: 300, when: 'after' },
        ]);
      },
    );
  });

  it('timeout without delayMs: never answered; after, the command was applied all the same', async () => {
    await withScript(
      [
        { object: 'CUSTOMER', action: 'ADD', nth: 1, fault: 'timeout' },
        { object: 'CUSTOMER', action: 'ADD', nth: 2, when: 'after', fault: 'timeout' },
      ],
      async (emu) => {
        expect(seen(await attempt(emu.url, 'CUSTOMER', 'ADD', customerTags(), 200))).toBe('gave up');
        expect(await customers(emu)).toBe(0);
        expect(seen(await attempt(emu.url, 'CUSTOMER', 'ADD', customerTags(), 200))).toBe('gave up');
        expect(await customers(emu)).toBe(1);
      },
    );
  });
});

describe('the script itself', () => {
  it.each<[string, unknown, string]>([
    ['an unknown fault', [{ nth: 1, fault: 'http418' }], 'fault script: 0.fault: '],
    ['a position of 0', [{ nth: 0, fault: 'reset' }], 'fault script: 0.nth: '],
    ['delayMs on another fault', [{ nth: 1, fault: 'reset', delayMs: 5 }], 'fault script: 0.delayMs: delayMs goes with fault: timeout only'],
    ['an unknown key', [{ nth: 1, fault: 'reset', nht: 2 }], 'fault script: 0: '],
    ['not a list', { nth: 1, fault: 'reset' }, 'fault script: (top): '],
  ])('%s is refused before the server starts', async (_, script, message) => {
    await expect(emulator({ faultScript: script as FaultScriptEntry[] })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) });
  });
});
