import type { FaultOptions } from './options.js';

/** mulberry32: a small seeded generator, so a fault run can be repeated with --seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type BeforeFault = 'none' | 'rate-limited' | 'reset' | 'fail';
export type AfterFault = 'none' | 'drop' | 'fail';

/** Decides, per request, which injected fault (if any) it suffers. */
export class Faults {
  private readonly random: () => number;
  private windowStart = 0;
  private windowCount = 0;

  constructor(private readonly options: FaultOptions) {
    this.random = mulberry32(options.seed ?? Date.now());
  }

  get active(): boolean {
    const o = this.options;
    return Boolean(o.latency || o.failRate || o.failAfterCommitRate || o.resetRate || o.rateLimit);
  }

  latencyMs(): number {
    const { latency } = this.options;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    const [min, max] = latency;
    return min + this.random() * (max - min);
  }

  before(nowMs: number): BeforeFault {
    const { rateLimit, resetRate, failRate } = this.options;
    if (rateLimit !== undefined && rateLimit > 0) {
      const second = Math.floor(nowMs / 1000);
      if (second !== this.windowStart) {
        this.windowStart = second;
        this.windowCount = 0;
      }
      if (++this.windowCount > rateLimit) return 'rate-limited';
    }
    if (resetRate && this.random() < resetRate) return 'reset';
    if (failRate && this.random() < failRate) return 'fail';
    return 'none';
  }

  after(): AfterFault {
    const rate = this.options.failAfterCommitRate;
    if (!rate || this.random() >= rate) return 'none';
    return this.random() < 0.5 ? 'drop' : 'fail';
  }
}

/** Parse `--latency 50` or `--latency 20-80`. */
export function parseLatency(text: string): number | [number, number] {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) throw new Error(`--latency takes MS or MIN-MAX, not "${text}"`);
  return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
}
