/**
 * Throughput over a run, for report.html's chart: cumulative counters sampled with tick(),
 * turned into per-bucket amounts. The number of buckets is bounded whatever the run's length:
 * when they would pass `maxPoints`, neighbours are merged and the bucket width doubles, so an
 * hour-long run keeps as little as a minute-long one.
 */

/** Cumulative counts since the run started, as the run keeps them. */
export interface ThroughputCounters {
  readonly rows: number;
  readonly requests?: number;
  readonly retries?: number;
  /** HTTP 429 (and 503) answers: the server asked us to slow down. */
  readonly throttled?: number;
}

/**
 * What happened in one bucket of time: [startMs, endMs) since the run started. Rows and
 * requests may be fractional: what happened between two ticks is spread over the buckets
 * between them.
 */
export interface ThroughputSample {
  readonly startMs: number;
  readonly endMs: number;
  readonly rows: number;
  readonly requests: number;
  readonly retries: number;
  readonly throttled: number;
}

export interface ThroughputRecorderOptions {
  /** Milliseconds, any origin (performance.now by default); injected by tests. */
  readonly now?: () => number;
  /** Starting bucket width: "per few seconds". */
  readonly bucketMs?: number;
  /** The most buckets kept; at least 2. */
  readonly maxPoints?: number;
}

interface Bucket {
  rows: number;
  requests: number;
  retries: number;
  throttled: number;
}

const empty = (): Bucket => ({ rows: 0, requests: 0, retries: 0, throttled: 0 });

export class ThroughputRecorder {
  private readonly now: () => number;
  private readonly maxPoints: number;
  private bucketMs: number;
  private readonly start: number;
  private readonly buckets: Bucket[] = [];
  private last: { at: number; rows: number; requests: number; retries: number; throttled: number };

  constructor(options: ThroughputRecorderOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.bucketMs = Math.max(1, options.bucketMs ?? 2000);
    this.maxPoints = Math.max(2, options.maxPoints ?? 120);
    this.start = this.now();
    this.last = { at: 0, rows: 0, requests: 0, retries: 0, throttled: 0 };
  }

  /** Sample the run's cumulative counters. Counters that went down count as no change. */
  tick(counters: ThroughputCounters): void {
    const at = Math.max(this.last.at, this.now() - this.start);
    const next = {
      at,
      rows: counters.rows,
      requests: counters.requests ?? this.last.requests,
      retries: counters.retries ?? this.last.retries,
      throttled: counters.throttled ?? this.last.throttled,
    };
    const delta = (k: 'rows' | 'requests' | 'retries' | 'throttled') => Math.max(0, next[k] - this.last[k]);
    this.grow(at);
    // Rows and requests are rates: spread them over the time since the last tick, so that a
    // caller ticking less often than the bucket width does not draw spikes and gaps.
    this.spread(this.last.at, at, delta('rows'), delta('requests'));
    // Retries and throttling are events, marked where they were seen.
    const bucket = this.bucketAt(at);
    bucket.retries += delta('retries');
    bucket.throttled += delta('throttled');
    this.last = next;
  }

  /** The buckets up to the last tick, oldest first. */
  samples(): ThroughputSample[] {
    const end = this.last.at;
    return this.buckets.map((b, i) => ({
      startMs: i * this.bucketMs,
      endMs: Math.min((i + 1) * this.bucketMs, Math.max(end, i * this.bucketMs)),
      rows: b.rows,
      requests: b.requests,
      retries: b.retries,
      throttled: b.throttled,
    }));
  }

  /** The current bucket width (doubles as the run grows). */
  get resolutionMs(): number {
    return this.bucketMs;
  }

  private grow(at: number): void {
    while (Math.floor(at / this.bucketMs) + 1 > this.maxPoints) this.halve();
    const needed = Math.floor(at / this.bucketMs) + 1;
    while (this.buckets.length < needed) this.buckets.push(empty());
  }

  private halve(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i] as Bucket;
      const b = this.buckets[i + 1] ?? empty();
      merged.push({ rows: a.rows + b.rows, requests: a.requests + b.requests, retries: a.retries + b.retries, throttled: a.throttled + b.throttled });
    }
    this.buckets.length = 0;
    this.buckets.push(...merged);
    this.bucketMs *= 2;
  }

  private bucketAt(at: number): Bucket {
    return this.buckets[Math.min(this.buckets.length - 1, Math.floor(at / this.bucketMs))] as Bucket;
  }

  private spread(from: number, to: number, rows: number, requests: number): void {
    if (rows === 0 && requests === 0) return;
    if (to <= from) {
      const b = this.bucketAt(to);
      b.rows += rows;
      b.requests += requests;
      return;
    }
    const span = to - from;
    for (let i = Math.floor(from / this.bucketMs); i * this.bucketMs < to; i++) {
      const overlap = Math.min(to, (i + 1) * this.bucketMs) - Math.max(from, i * this.bucketMs);
      if (overlap <= 0) continue;
      const b = this.buckets[Math.min(i, this.buckets.length - 1)] as Bucket;
      b.rows += (rows * overlap) / span;
      b.requests += (requests * overlap) / span;
    }
  }
}
