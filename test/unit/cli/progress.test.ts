import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ProgressDisplay, formatEta } from '../../../src/cli/progress.js';

function sink(tty: boolean): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (c: Buffer) => (out += c.toString()));
  if (tty) Object.assign(stream, { isTTY: true, columns: 160 });
  return { stream, text: () => out };
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

 
const SGR_COLOUR = /\x1b\[3\dm/;

describe('ProgressDisplay', () => {
  it('writes a plain line every interval when stderr is not a terminal, and a last one on stop', async () => {
    const out = sink(false);
    const p = new ProgressDisplay({ stream: out.stream, label: 'customers.csv', intervalMs: 15 });
    p.start(100);
    p.update({ done: 40, failed: 3, concurrency: 8, requests: 52 });
    await sleep(60);
    p.stop();
    const lines = out.text().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toMatch(/^customers\.csv: 40\/100 rows \(40%\), [\d,]+ rows\/s, ETA [^,]+, 3 failed, 52 requests, 8 in flight$/);
    expect(lines.at(-1)).toMatch(/^customers\.csv: 40\/100 rows \(40%\), done in \d+s, 3 failed, 52 requests$/);
    expect(out.text()).not.toContain('\x1b');
  });

  it('measures the rate over the last window and the ETA from it', () => {
    const c = clock();
    const out = sink(false);
    const p = new ProgressDisplay({ stream: out.stream, label: 'f.csv', now: c.now, rateWindowMs: 2000, intervalMs: 60_000 });
    p.start(1000);
    c.advance(1000);
    p.update({ done: 100, failed: 0 });
    expect(p.rate()).toBe(100);
    expect(p.line()).toBe('f.csv: 100/1,000 rows (10%), 100 rows/s, ETA 9s, 0 failed');
    // The rate follows a slow-down once the window has moved past the fast part.
    for (let i = 0; i < 5; i++) {
      c.advance(1000);
      p.update({ done: 100 + (i + 1) * 10, failed: 0 });
    }
    expect(p.rate()).toBeCloseTo(10, 5);
    // A stall: no update for a while, and the rate falls to zero.
    c.advance(3000);
    expect(p.rate()).toBe(0);
    p.stop();
  });

  it('says nothing it cannot know: no total, no ETA', () => {
    const c = clock();
    const out = sink(false);
    const p = new ProgressDisplay({ stream: out.stream, label: 'customer', unit: 'records', now: c.now, intervalMs: 60_000 });
    p.start();
    c.advance(2000);
    p.update({ done: 4000, failed: 0 });
    expect(p.line()).toBe('customer: 4,000 records, 2,000 records/s, 0 failed');
    p.stop();
  });

  it('draws a bar on a terminal, with done/total, rate, ETA, failures and concurrency, failures in red', () => {
    const out = sink(true);
    const p = new ProgressDisplay({ stream: out.stream, label: 'customers.csv', env: {} });
    p.start(100);
    p.update({ done: 50, failed: 2, concurrency: 8 });
    p.stop();
    const text = out.text();
    expect(text).toContain('#'.repeat(12));
    expect(text).toContain('50/100 rows (50%)');
    expect(text).toMatch(/\d+ rows\/s \| ETA /);
    expect(text).toContain('\x1b[31m2 failed\x1b[0m');
    expect(text).toContain('8 in flight');
  });

  it('NO_COLOR on a terminal: the bar without colour', () => {
    const out = sink(true);
    const p = new ProgressDisplay({ stream: out.stream, label: 'customers.csv', env: { NO_COLOR: '1' } });
    p.start(10);
    p.update({ done: 5, failed: 5 });
    p.stop();
    expect(out.text()).toContain('5 failed');
    expect(out.text()).not.toMatch(SGR_COLOUR);
  });

  it('quiet: nothing at all', async () => {
    const out = sink(false);
    const p = new ProgressDisplay({ stream: out.stream, label: 'x', quiet: true, intervalMs: 5 });
    p.start(10);
    p.update({ done: 5, failed: 1 });
    await sleep(20);
    p.stop();
    const tty = sink(true);
    const q = new ProgressDisplay({ stream: tty.stream, label: 'x', quiet: true });
    q.start(10);
    q.update({ done: 5, failed: 1 });
    q.stop();
    expect(out.text() + tty.text()).toBe('');
  });
});

describe('formatEta', () => {
  it.each([
    [undefined, '-'],
    [45, '45s'],
    [185, '3m 05s'],
    [7800, '2h 10m'],
    [Infinity, '-'],
  ])('%s -> %s', (s, text) => expect(formatEta(s)).toBe(text));
});
