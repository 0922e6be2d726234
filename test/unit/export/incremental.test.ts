import { describe, expect, it } from 'vitest';
import { BookmarkTracker, formatBookmark, isNewSince, parseBookmark, startDay } from '../../../src/export/incremental.js';
import { dayToIso } from '../../../src/export/dates.js';
import { recordKey } from '../../../src/export/record-key.js';

const key = recordKey('CASE', 'CASENUM');

const rec = (id: number, lastmod: string) => ({ CASENUM: String(id), LASTMODDATE: lastmod });

describe('incremental bookmarks', () => {
  it('round-trips and refuses what it did not write', () => {
    const text = formatBookmark({ at: '2024-03-01T10:00:00', ids: [3, 5] });
    expect(parseBookmark(text)).toEqual({ at: '2024-03-01T10:00:00', ids: [3, 5] });
    expect(parseBookmark(undefined)).toBeUndefined();
    expect(parseBookmark('garbage')).toBeUndefined();
    expect(parseBookmark('{"at":"yesterday"}')).toBeUndefined();
  });

  it('starts the next run one day before the bookmark (the API filters by whole days)', () => {
    expect(dayToIso(startDay({ at: '2024-03-01T00:00:01', ids: [] }))).toBe('2024-02-29');
  });

  it.each([
    ['changed after the bookmark', rec(9, '03012024 10:00:01'), true],
    ['changed at its second, not written then', rec(9, '03012024 10:00:00'), true],
    ['changed at its second, written then', rec(5, '03012024 10:00:00'), false],
    ['changed before it (brought back by the lookback day)', rec(5, '03012024 09:59:59'), false],
    ['without a date', rec(5, ''), true],
  ])('keeps a record %s: %s', (_name, item, kept) => {
    expect(isNewSince({ at: '2024-03-01T10:00:00', ids: [3, 5] }, key, 'LASTMODDATE')(item)).toBe(kept);
  });

  it('moves forward to the latest second, with the ids written at that second', () => {
    const tracker = new BookmarkTracker(key, 'LASTMODDATE', { at: '2024-03-01T10:00:00', ids: [3] });
    tracker.add(rec(7, '03012024 10:00:00'));
    expect(tracker.value()).toEqual({ at: '2024-03-01T10:00:00', ids: [3, 7] });
    tracker.add(rec(8, '03022024 08:00:00'));
    tracker.add(rec(2, '03022024 08:00:00'));
    tracker.add(rec(1, '03012024 12:00:00'));
    expect(tracker.value()).toEqual({ at: '2024-03-02T08:00:00', ids: [2, 8] });
    expect(new BookmarkTracker(key, 'LASTMODDATE').value()).toBeUndefined();
  });
});
