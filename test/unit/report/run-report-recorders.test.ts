import { describe, expect, it } from 'vitest';
import { ErrorGrouper, ThroughputRecorder } from '../../../src/report/run-report/index.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('ThroughputRecorder', () => {
  it('buckets cumulative counters into per-bucket amounts', () => {
    const c = clock();
    const rec = new ThroughputRecorder({ now: c.now, bucketMs: 1000 });
    for (let s = 1; s <= 4; s++) {
      c.advance(1000);
      rec.tick({ rows: s * 10, requests: s * 25 });
    }
    const samples = rec.samples();
    expect(samples.map((s) => Math.round(s.rows))).toEqual([10, 10, 10, 10, 0]);
    expect(samples.map((s) => Math.round(s.requests))).toEqual([25, 25, 25, 25, 0]);
    expect(samples[0]).toMatchObject({ startMs: 0, endMs: 1000 });
  });

  it('keeps a bounded number of points however long the run', () => {
    const c = clock();
    const rec = new ThroughputRecorder({ now: c.now, bucketMs: 1000, maxPoints: 50 });
    let rows = 0;
    // Ten hours, one tick a second.
    for (let s = 0; s < 36_000; s++) {
      c.advance(1000);
      rows += 7;
      rec.tick({ rows, requests: rows * 2 });
    }
    const samples = rec.samples();
    expect(samples.length).toBeLessThanOrEqual(50);
    expect(samples.length).toBeGreaterThan(25);
    expect(samples.reduce((n, s) => n + s.rows, 0)).toBeCloseTo(rows, 3);
    expect(samples.at(-1)?.endMs).toBe(36_000_000);
    expect(rec.resolutionMs).toBeGreaterThan(1000);
  });

  it('spreads what happened between sparse ticks over the buckets between them', () => {
    const c = clock();
    const rec = new ThroughputRecorder({ now: c.now, bucketMs: 1000 });
    c.advance(4000);
    rec.tick({ rows: 400 });
    expect(rec.samples().slice(0, 4).map((s) => s.rows)).toEqual([100, 100, 100, 100]);
  });

  it('marks retries and throttling in the bucket where they were seen', () => {
    const c = clock();
    const rec = new ThroughputRecorder({ now: c.now, bucketMs: 1000 });
    c.advance(500);
    rec.tick({ rows: 1, retries: 0, throttled: 0 });
    c.advance(2000);
    rec.tick({ rows: 2, retries: 3, throttled: 2 });
    const samples = rec.samples();
    expect(samples.map((s) => s.retries)).toEqual([0, 0, 3]);
    expect(samples.map((s) => s.throttled)).toEqual([0, 0, 2]);
  });

  it('a counter that goes down counts as no change, not a negative rate', () => {
    const c = clock();
    const rec = new ThroughputRecorder({ now: c.now, bucketMs: 1000 });
    c.advance(1000);
    rec.tick({ rows: 50 });
    c.advance(1000);
    rec.tick({ rows: 20 });
    expect(rec.samples().every((s) => s.rows >= 0)).toBe(true);
  });
});

describe('ErrorGrouper', () => {
  it('groups by code with counts, the first message and a few examples', () => {
    const g = new ErrorGrouper({ examplesPerCode: 2 });
    for (let i = 1; i <= 5; i++) g.add({ row: i, key: `k${i}`, code: 'ROW_INVALID', stage: 'validate', message: `EMAIL: "bad${i}" is not an address`, values: { email: `bad${i}` } });
    g.add({ row: 9, key: 'k9', code: 'REFERENCE_MISSING', stage: 'reference', message: 'customer legacy id 9 was not imported' });
    const groups = g.groups();
    expect(groups.map((x) => [x.code, x.count])).toEqual([
      ['ROW_INVALID', 5],
      ['REFERENCE_MISSING', 1],
    ]);
    expect(groups[0]?.message).toBe('EMAIL: "bad1" is not an address');
    expect(groups[0]?.distinctMessages).toBe(5);
    expect(groups[0]?.examples.map((e) => e.row)).toEqual(['1', '2']);
    expect(groups[0]?.examples[0]?.values).toEqual([['email', 'bad1']]);
    expect(g.total).toBe(6);
  });

  it('keeps bounded memory: codes past the cap are counted, long values cut', () => {
    const g = new ErrorGrouper({ maxCodes: 3, maxChars: 40 });
    for (let i = 0; i < 10_000; i++) g.add({ row: i, code: `CODE_${i % 10}`, message: 'x'.repeat(10_000), values: { notes: 'y'.repeat(1_000_000) } });
    const groups = g.groups();
    expect(groups).toHaveLength(3);
    expect(groups.reduce((n, x) => n + x.count, 0) + g.ungrouped).toBe(10_000);
    expect(g.ungrouped).toBe(7000);
    for (const group of groups) {
      expect(group.examples.length).toBeLessThanOrEqual(3);
      expect(group.message.length).toBeLessThanOrEqual(40);
      expect(group.examples[0]?.values[0]?.[1].length).toBeLessThanOrEqual(40);
    }
  });
});
