/**
 * Issue "Real tenants": the server's time zone (serve --timezone, option `timezone`, default
 * UTC). Reply timestamps and the whole-day filters are on the server's wall clock, as a
 * tenant's server clock would be (README, "Readings of the guide").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, caseTags, customerTags, emulator, get, manualClock } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wapi-timezone-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reply timestamps on the server clock of its zone', () => {
  it('New York, on the morning daylight saving time begins and in summer; every timestamp of a case and its follow-up too', async () => {
    const clock = manualClock('2024-03-10T06:30:00Z');
    const ny = await emulator({ timezone: 'America/New_York', now: clock.now });
    try {
      const account = await add(ny.url, 'CUSTOMER', customerTags());
      expect(await get(ny.url, 'CUSTOMER', [['ACCOUNTNUM', account]])).toMatchObject([{ CREATEDDATE: '03102024 01:30:00', LASTMODDATE: '03102024 01:30:00' }]);
      clock.set('2024-07-01T12:00:00Z');
      const casenum = await add(ny.url, 'CASE', caseTags(account, [['STATUS', 'Closed']]));
      expect(await get(ny.url, 'CASE', [['CASENUM', casenum]])).toMatchObject([{ CREATEDDATE: '07012024 08:00:00', CLOSEDDATE: '07012024 08:00:00', LASTACTDATE: '07012024 08:00:00' }]);
      clock.set('2024-07-01T12:00:05Z');
      await add(ny.url, 'FOLLOWUP', [['CASENUM', casenum], ['SUBJECT', 's'], ['DESCRIPTION', 'd']]);
      expect(await get(ny.url, 'FOLLOWUP', [['CASENUM', casenum]])).toMatchObject([{ CREATEDDATE: '07012024 08:00:05' }]);
    } finally {
      await ny.close();
    }
  });

  it('the day filters take whole days of the zone: 22:00 in New York is the next day in UTC', async () => {
    const at = () => new Date('2024-03-10T03:00:00Z');
    for (const [timezone, day, other] of [
      ['America/New_York', '03092024', '03102024'],
      ['UTC', '03102024', '03092024'],
    ] as const) {
      const server = await emulator({ timezone, now: at });
      try {
        await add(server.url, 'CUSTOMER', customerTags([['COMPANY', 'Late']]));
        const next = (d: string) => `${d.slice(0, 2)}${String(Number(d.slice(2, 4)) + 1).padStart(2, '0')}${d.slice(4)}`;
        expect(await get(server.url, 'CUSTOMER', [['FROMCREATEDATE', day], ['TOCREATEDATE', next(day)]])).toHaveLength(1);
        expect(await get(server.url, 'CUSTOMER', [['FROMLASTMODDATE', other], ['TOLASTMODDATE', next(other)]])).toHaveLength(0);
      } finally {
        await server.close();
      }
    }
  });

  it('a task DUEDATE is the wall-clock time sent, and FROMDUEDATE compares with it', async () => {
    const tokyo = await emulator({ timezone: 'Asia/Tokyo' });
    try {
      const account = await add(tokyo.url, 'CUSTOMER', customerTags());
      const tasknum = await add(tokyo.url, 'TASK', [['ACCOUNTNUM', account], ['DUEDATE', '031020242315']]);
      expect(await get(tokyo.url, 'TASK', [['TASKNUM', tasknum]])).toMatchObject([{ DUEDATE: '03102024 23:15:00' }]);
      expect(await get(tokyo.url, 'TASK', [['FROMDUEDATE', '031020242300'], ['TODUEDATE', '03112024']])).toHaveLength(1);
      expect(await get(tokyo.url, 'TASK', [['FROMDUEDATE', '03112024']])).toHaveLength(0);
    } finally {
      await tokyo.close();
    }
  });

  it('fixtures: a timestamp without a zone is the server wall clock; one with a zone is converted to it', async () => {
    const tokyo = await emulator({
      timezone: 'Asia/Tokyo',
      fixtures: {
        customers: [
          { ACCOUNTNUM: 10000001, FIRSTNAME: 'Wall', LASTNAME: 'Clock', AUTOPASSWD: 'TRUE', CREATEDDATE: '2024-01-02T10:00:00' },
          { ACCOUNTNUM: 10000002, FIRSTNAME: 'Zoned', LASTNAME: 'Clock', AUTOPASSWD: 'TRUE', CREATEDDATE: '2024-01-02T10:00:00Z' },
        ],
      },
    });
    try {
      expect((await get(tokyo.url, 'CUSTOMER', [['LASTNAME', 'Clock']])).map((c) => c['CREATEDDATE'])).toEqual(['01022024 10:00:00', '01022024 19:00:00']);
    } finally {
      await tokyo.close();
    }
  });
});

describe('configuration', () => {
  it('a --db file written in one zone is refused in another, not misread by the difference', async () => {
    const file = join(dir, 'zoned.db');
    await (await emulator({ db: file, timezone: 'Europe/Paris' })).close();
    await expect(emulator({ db: file })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: `${file} was written with the time zone Europe/Paris, not UTC` });
    await (await emulator({ db: file, timezone: 'Europe/Paris' })).close();
  });

  it('an unknown time zone is refused', async () => {
    await expect(emulator({ timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: 'unknown time zone "Mars/Olympus"' });
  });
});
