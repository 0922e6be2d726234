import { describe, expect, it } from 'vitest';
import {
  containsDay,
  dayWindows,
  hintFromItems,
  isSingleDay,
  MAX_DAY,
  MIN_DAY,
  nextWindowLength,
  OPEN_STEP_DAYS,
  splitValues,
  splitWindow,
  windowTags,
  type DayWindow,
} from '../../../src/export/day-windows.js';
import { parseDayOption } from '../../../src/export/dates.js';

const d = (iso: string) => parseDayOption(iso) as number;

/** Every day in [lo, hi) lies in exactly one of the windows. */
function coversExactly(parts: DayWindow[], probe: number[]): boolean {
  return probe.every((day) => parts.filter((w) => containsDay(w, day)).length === 1);
}

describe('day windows', () => {
  it('sends FROM inclusive and TO exclusive, either alone', () => {
    expect(windowTags({ from: d('2001-12-07'), to: d('2001-12-08') }, 'FROMDATE', 'TODATE')).toEqual([
      ['FROMDATE', '12072001'],
      ['TODATE', '12082001'],
    ]);
    expect(windowTags({ to: d('2001-12-08') }, 'F', 'T')).toEqual([['T', '12082001']]);
    expect(windowTags({}, 'F', 'T')).toEqual([]);
  });

  it('knows a single day', () => {
    expect(isSingleDay({ from: 10, to: 11 })).toBe(true);
    expect(isSingleDay({ from: 10, to: 12 })).toBe(false);
    expect(isSingleDay({ from: 10 })).toBe(false);
  });

  const probe = [MIN_DAY, -40_000, -1, 0, 1, 100, 19_000, 19_500, 20_000, 30_000, MAX_DAY - 1];

  it.each<[string, DayWindow, { first?: number; last?: number }, DayWindow[] | undefined]>([
    ['all time, with a hint', {}, { first: 19_000, last: 19_500 }, [{ to: 19_000 }, { from: 19_000, to: 19_501 }, { from: 19_501 }]],
    ['all time, no hint', {}, {}, [{ to: 0 }, { from: 0, to: OPEN_STEP_DAYS }, { from: OPEN_STEP_DAYS }]],
    ['before a day, hint inside', { to: 19_500 }, { first: 19_000 }, [{ to: 19_000 }, { from: 19_000, to: 19_500 }]],
    ['before a day, no hint', { to: 19_500 }, {}, [{ to: 19_500 - OPEN_STEP_DAYS }, { from: 19_500 - OPEN_STEP_DAYS, to: 19_500 }]],
    ['since a day, hint inside', { from: 19_000 }, { last: 19_500 }, [{ from: 19_000, to: 19_501 }, { from: 19_501 }]],
    ['since a day, no hint', { from: 19_000 }, {}, [{ from: 19_000, to: 19_000 + OPEN_STEP_DAYS }, { from: 19_000 + OPEN_STEP_DAYS }]],
    ['a closed span', { from: 100, to: 110 }, {}, [{ from: 100, to: 105 }, { from: 105, to: 110 }]],
    ['two days', { from: 100, to: 102 }, {}, [{ from: 100, to: 101 }, { from: 101, to: 102 }]],
    ['one day', { from: 100, to: 101 }, {}, undefined],
    ['the start of the calendar', { to: MIN_DAY }, {}, undefined],
    ['the end of the calendar', { from: MAX_DAY }, {}, undefined],
  ])('splits %s', (_name, window, hint, parts) => {
    const split = splitWindow(window, hint);
    expect(split).toEqual(parts);
    if (split) {
      const inside = probe.filter((day) => containsDay(window, day));
      expect(coversExactly(split, inside)).toBe(true);
    }
  });

  it('never splits an open side forever: it reaches the calendar ends', () => {
    let window: DayWindow = { to: 0 };
    for (let i = 0; i < 1000 && window.from === undefined; i++) window = (splitWindow(window) as DayWindow[])[0] as DayWindow;
    expect(window.from).toBe(MIN_DAY);
    window = { from: 0 };
    for (let i = 0; i < 1000 && window.to === undefined; i++) window = (splitWindow(window) as DayWindow[]).at(-1) as DayWindow;
    expect(window.to).toBe(MAX_DAY);
  });

  it('lays root windows end to end, taking each length when it is needed', () => {
    const lengths = [3, 1, 10];
    const windows = [...dayWindows(100, 110, () => lengths.shift() ?? 2)];
    expect(windows).toEqual([
      { from: 100, to: 103 },
      { from: 103, to: 104 },
      { from: 104, to: 111 },
    ]);
  });

  it.each([
    [10, 7, 7, 4.9, 5],
    [10, 0, 7, 4.9, 20],
    [10, 2, 7, 4.9, 20],
    [10, 4, 7, 4.9, 12],
    [1, 7, 7, 4.9, 1],
  ])('after %i days held %i of max %i, sizes the next window to %d: %i days', (length, count, max, target, next) => {
    expect(nextWindowLength(length, count, max, target)).toBe(next);
  });

  it('halves value sets for repeated-tag OR queries', () => {
    expect(splitValues(['a', 'b', 'c'])).toEqual([['a', 'b'], ['c']]);
    expect(splitValues(['a'])).toBeUndefined();
  });

  it('takes a hint from the creation days of a reply', () => {
    expect(hintFromItems([{ CREATEDDATE: '03022024 10:00:00' }, { CREATEDDATE: '03012024 10:00:00' }, { CREATEDDATE: '' }])).toEqual({
      first: d('2024-03-01'),
      last: d('2024-03-02'),
    });
    expect(hintFromItems([])).toEqual({ first: undefined, last: undefined });
  });
});
