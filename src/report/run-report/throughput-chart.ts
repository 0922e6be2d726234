/**
 * The throughput chart of report.html as inline SVG (no script, no external asset): rows/s and
 * requests/s per bucket, retries and throttling (HTTP 429) marked along the top.
 */
import { esc, formatDuration, formatNumber } from './html.js';
import type { ThroughputSample } from './throughput-recorder.js';

const WIDTH = 960;
const HEIGHT = 280;
const LEFT = 56;
const RIGHT = 16;
const TOP = 28;
const BOTTOM = 36;

/** 0, then a round step: 1, 2, 5 x 10^n, so that axis labels read well. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}

export interface RateSample {
  readonly startMs: number;
  readonly endMs: number;
  readonly rowsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly retries: number;
  readonly throttled: number;
}

/** Per-second rates of each sample; a sample of no width has rate 0. */
export function toRates(samples: readonly ThroughputSample[]): RateSample[] {
  return samples.map((s) => {
    const seconds = (s.endMs - s.startMs) / 1000;
    return {
      startMs: s.startMs,
      endMs: s.endMs,
      rowsPerSecond: seconds > 0 ? s.rows / seconds : 0,
      requestsPerSecond: seconds > 0 ? s.requests / seconds : 0,
      retries: s.retries,
      throttled: s.throttled,
    };
  });
}

export function renderThroughputChart(samples: readonly ThroughputSample[], rowsLabel = 'rows/s'): string {
  const rates = toRates(samples).filter((r) => r.endMs > r.startMs);
  if (rates.length === 0) return '<p class="muted">The run was too short to chart.</p>';
  const endMs = Math.max(...rates.map((r) => r.endMs));
  const yMax = niceMax(Math.max(...rates.map((r) => Math.max(r.rowsPerSecond, r.requestsPerSecond))));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (ms: number) => LEFT + (endMs > 0 ? (ms / endMs) * plotW : 0);
  const y = (rate: number) => TOP + plotH - (rate / yMax) * plotH;
  const mid = (r: RateSample) => x((r.startMs + r.endMs) / 2);
  const line = (pick: (r: RateSample) => number) => rates.map((r) => `${mid(r).toFixed(1)},${y(pick(r)).toFixed(1)}`).join(' ');

  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const yy = y(v).toFixed(1);
    parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${yy}" y2="${yy}"/>`);
    parts.push(`<text class="axis" x="${LEFT - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(formatNumber(v))}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const ms = (endMs * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    parts.push(`<text class="axis" x="${x(ms).toFixed(1)}" y="${HEIGHT - BOTTOM + 18}" text-anchor="${anchor}">${esc(formatDuration(ms))}</text>`);
  }
  // A run that could not count its requests as it went draws no requests line rather than a flat zero.
  const withRequests = rates.some((r) => r.requestsPerSecond > 0);
  if (withRequests) parts.push(`<polyline class="requests" points="${line((r) => r.requestsPerSecond)}"/>`);
  parts.push(`<polyline class="rows" points="${line((r) => r.rowsPerSecond)}"/>`);
  for (const r of rates) {
    const span = `between ${formatDuration(r.startMs)} and ${formatDuration(r.endMs)}`;
    if (r.throttled > 0) {
      const xx = mid(r).toFixed(1);
      parts.push(
        `<g class="throttled"><title>${esc(`${formatNumber(r.throttled)} throttled (HTTP 429) ${span}`)}</title>` +
          `<line x1="${xx}" x2="${xx}" y1="${TOP}" y2="${TOP + plotH}"/><path d="M${xx} ${TOP - 2} l-5 -9 h10 z"/></g>`,
      );
    }
    if (r.retries > 0) {
      parts.push(`<g class="retries"><title>${esc(`${formatNumber(r.retries)} retries ${span}`)}</title><circle cx="${mid(r).toFixed(1)}" cy="${TOP - 16}" r="4"/></g>`);
    }
  }
  const total = (k: 'retries' | 'throttled') => rates.reduce((n, r) => n + r[k], 0);
  const summary = `${rowsLabel} and requests/s over ${formatDuration(endMs)}; ${formatNumber(total('retries'))} retries, ${formatNumber(total('throttled'))} throttled`;
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(summary)}" xmlns="http://www.w3.org/2000/svg">`,
    ...parts,
    '</svg>',
    '<p class="legend">',
    `<span class="key rows"></span> ${esc(rowsLabel)} <span class="key requests"></span> requests/s${withRequests ? '' : ' (not recorded)'} `,
    `<span class="key retries"></span> retries (${esc(formatNumber(total('retries')))}) <span class="key throttled"></span> throttled, HTTP 429 (${esc(formatNumber(total('throttled')))})`,
    '</p>',
  ].join('\n');
}
