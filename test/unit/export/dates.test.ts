import { describe, expect, it } from 'vitest';
import { dayToApi, dayToIso, parseDayOption, replyDateToIso, replyDay, replyTimestampKey } from '../../../src/export/dates.js';

describe('export dates', () => {
  it.each([
    ['2024-03-01', '2024-03-01'],
    ['03012024', '2024-03-01'],
    [' 2024-12-31 ', '2024-12-31'],
  ])('reads the option %j as %s', (text, iso) => {
    const day = parseDayOption(text);
    expect(day).toBeDefined();
    expect(dayToIso(day as number)).toBe(iso);
  });

  it.each(['2024-02-30', '13012024', '2024/03/01', '3-1-2024', '', '20240301'])('refuses %j', (text) => {
    expect(parseDayOption(text)).toBeUndefined();
  });

  it('writes days as the API reads them (MMDDYYYY)', () => {
    expect(dayToApi(parseDayOption('2001-12-07') as number)).toBe('12072001');
    expect(dayToApi(parseDayOption('1000-01-01') as number)).toBe('01011000');
  });

  it.each([
    ['03012024 09:05:07', '2024-03-01T09:05:07'],
    ['03012024', '2024-03-01'],
    // The guide's follow-up reply glues date and time together.
    ['0503201212:26:59', '2012-05-03T12:26:59'],
    ['', ''],
    ['not a date', 'not a date'],
    ['02302024', '02302024'],
    ['2024-03-01', '2024-03-01'],
  ])('turns the reply value %j into %j', (value, iso) => {
    expect(replyDateToIso(value)).toBe(iso);
  });

  it('reads the day of a reply timestamp, and a sortable key', () => {
    expect(dayToIso(replyDay('03012024 23:59:59') as number)).toBe('2024-03-01');
    expect(replyDay('')).toBeUndefined();
    expect(replyTimestampKey('03012024')).toBe('2024-03-01T00:00:00');
    expect(replyTimestampKey('03012024 10:00:00')! < replyTimestampKey('03012024 10:00:01')!).toBe(true);
    expect(replyTimestampKey('x')).toBeUndefined();
  });
});
