/**
 * report.html: one self-contained page per run (no script, no network, no external font; the
 * chart is inline SVG), written beside the run's CSVs. A pure function of the RunReport: the
 * same report renders the same page.
 */
import type { ErrorGroup } from './error-grouper.js';
import { esc, formatDuration, formatNumber, safeHref } from './html.js';
import type { RunKind, RunReport, RunStatus } from './run-report.js';
import { HIDDEN, isSecretName, withoutUrlPassword } from './secret-names.js';
import { renderThroughputChart, toRates } from './throughput-chart.js';

type Tone = 'good' | 'bad' | 'warn' | 'plain';

interface Figure {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly tone: Tone;
}

const STATUS_TEXT: Record<RunStatus, string> = {
  succeeded: 'Succeeded',
  partial: 'Finished with failures',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

/** The exit code each status goes with (README: 0 / 1 / 2; 130 for Ctrl-C). */
const STATUS_EXIT: Record<RunStatus, number> = { succeeded: 0, partial: 1, failed: 2, interrupted: 130 };

const KIND_UNIT: Record<RunKind, string> = { import: 'rows/s', export: 'records/s', reconcile: 'records/s', undo: 'records/s' };

const bad = (n: number): Tone => (n > 0 ? 'bad' : 'plain');

function figures(report: RunReport): Figure[] {
  switch (report.kind) {
    case 'import': {
      const c = report.counts;
      return [
        { id: 'rows', label: 'Rows', value: c.rows, tone: 'plain' },
        { id: 'added', label: 'Added', value: c.added, tone: 'good' },
        { id: 'modified', label: 'Modified', value: c.modified, tone: 'good' },
        { id: 'unchanged', label: 'Unchanged', value: c.unchanged, tone: 'plain' },
        { id: 'skipped', label: 'Skipped (imported before)', value: c.skipped, tone: c.skipped > 0 ? 'warn' : 'plain' },
        ...(c.deleted > 0 ? [{ id: 'deleted', label: 'Deleted', value: c.deleted, tone: 'good' as const }] : []),
        ...(c.validated > 0 ? [{ id: 'validated', label: 'Valid (not sent)', value: c.validated, tone: 'plain' as const }] : []),
        { id: 'failed', label: 'Failed', value: c.failed, tone: bad(c.failed) },
        ...(c.pending > 0 ? [{ id: 'pending', label: 'Not processed', value: c.pending, tone: 'warn' as const }] : []),
      ];
    }
    case 'export': {
      const c = report.counts;
      return [
        { id: 'records', label: 'Records', value: c.records, tone: 'good' },
        { id: 'ranges', label: 'Ranges queried', value: c.ranges, tone: 'plain' },
        { id: 'failedRanges', label: 'Ranges failed', value: c.failedRanges, tone: bad(c.failedRanges) },
      ];
    }
    case 'reconcile': {
      const c = report.counts;
      return [
        { id: 'compared', label: 'Compared', value: c.compared, tone: 'plain' },
        { id: 'same', label: 'Same', value: c.same, tone: 'good' },
        { id: 'missing', label: 'Missing in the CRM', value: c.missing, tone: bad(c.missing) },
        { id: 'different', label: 'Different', value: c.different, tone: bad(c.different) },
        { id: 'extra', label: 'Extra in the CRM', value: c.extra, tone: c.extra > 0 ? 'warn' : 'plain' },
      ];
    }
    case 'undo': {
      const c = report.counts;
      return [
        { id: 'deleted', label: 'Deleted', value: c.deleted, tone: 'good' },
        { id: 'restored', label: 'Restored', value: c.restored, tone: 'good' },
        { id: 'refused', label: 'Refused', value: c.refused, tone: bad(c.refused) },
      ];
    }
  }
}

/**
 * Checks of the report against itself. A page that shows figures which do not add up says so at
 * the top rather than let a reader trust them.
 */
export function inconsistencies(report: RunReport): string[] {
  const out: string[] = [];
  if (STATUS_EXIT[report.status] !== report.exitCode) {
    out.push(`the status "${report.status}" goes with exit code ${STATUS_EXIT[report.status]}, but the run exited ${report.exitCode}`);
  }
  const grouped = report.errorGroups.reduce((n, g) => n + g.count, 0) + (report.errorsNotGrouped ?? 0);
  if (report.kind === 'import') {
    const c = report.counts;
    const sum = c.added + c.modified + c.unchanged + c.skipped + c.deleted + c.validated + c.failed + c.pending;
    if (sum !== c.rows) out.push(`${formatNumber(c.rows)} rows, but added + modified + unchanged + skipped + deleted + valid + failed + not processed = ${formatNumber(sum)}`);
    if (grouped !== c.failed) out.push(`${formatNumber(c.failed)} rows failed, but the error list holds ${formatNumber(grouped)}`);
  } else if (report.kind === 'reconcile') {
    const c = report.counts;
    const sum = c.same + c.missing + c.different;
    if (sum !== c.compared) out.push(`${formatNumber(c.compared)} compared, but same + missing + different = ${formatNumber(sum)}`);
  } else if (report.kind === 'export') {
    if (grouped !== report.counts.failedRanges) out.push(`${formatNumber(report.counts.failedRanges)} ranges failed, but the error list holds ${formatNumber(grouped)}`);
  }
  return out;
}

function settingValue(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined || value === '') return '<span class="muted">-</span>';
  if (isSecretName(name)) return `<span class="hidden">${HIDDEN}</span>`;
  return esc(withoutUrlPassword(String(value)));
}

function link(label: string, href: string): string {
  const safe = safeHref(href);
  return safe === undefined ? esc(`${label}: ${href}`) : `<a href="${esc(safe)}">${esc(label)}</a>`;
}

function renderGroup(group: ErrorGroup): string {
  const examples = group.examples
    .map((e) => {
      const values = e.values
        .map(([column, value]) => `<span class="cell"><span class="col">${esc(column)}</span> ${isSecretName(column) ? `<span class="hidden">${HIDDEN}</span>` : esc(withoutUrlPassword(value))}</span>`)
        .join(' ');
      return (
        `<tr><td class="num">${esc(e.row)}</td><td>${esc(e.key)}</td><td>${esc(e.stage)}</td>` +
        `<td><div class="message">${esc(e.message)}</div>${values === '' ? '' : `<div class="values">${values}</div>`}</td></tr>`
      );
    })
    .join('\n');
  const variants = group.distinctMessages > 1 ? ` <span class="muted">(${formatNumber(group.distinctMessages)}${group.distinctMessages >= 100 ? '+' : ''} different messages; the first:)</span>` : '';
  return [
    `<article class="error-group" data-code="${esc(group.code)}">`,
    `<h3><code>${esc(group.code)}</code> <span class="count" data-count="${group.count}">${esc(formatNumber(group.count))}</span></h3>`,
    `<p>${variants} ${esc(group.message)}</p>`,
    examples === '' ? '' : `<table class="examples"><thead><tr><th>Row</th><th>Key</th><th>Stage</th><th>Error and row</th></tr></thead><tbody>\n${examples}\n</tbody></table>`,
    '</article>',
  ].join('\n');
}

function renderErrors(report: RunReport): string {
  const total = report.errorGroups.reduce((n, g) => n + g.count, 0) + (report.errorsNotGrouped ?? 0);
  if (total === 0) return '<section id="errors"><h2>Errors</h2><p class="good-text">No errors.</p></section>';
  const file = report.errorsFile ? ` Every one is in ${link(report.errorsFile.label, report.errorsFile.href)}.` : '';
  const rest = report.errorsNotGrouped
    ? `<p class="warn-text">${esc(formatNumber(report.errorsNotGrouped))} more errors had codes past the ones listed here; they are counted, not itemised.</p>`
    : '';
  return [
    '<section id="errors">',
    `<h2>Errors <span class="muted">(${esc(formatNumber(total))}, by code)</span></h2>`,
    `<p>${esc(formatNumber(total))} errors in ${esc(formatNumber(report.errorGroups.length))} ${report.errorGroups.length === 1 ? 'code' : 'codes'}, a few examples each.${file}</p>`,
    ...report.errorGroups.map(renderGroup),
    rest,
    '</section>',
  ].join('\n');
}

function renderDiffering(report: RunReport): string {
  if (report.kind !== 'reconcile' || !report.differingFields || report.differingFields.length === 0) return '';
  const fields = [...report.differingFields].sort((a, b) => b.count - a.count || a.field.localeCompare(b.field)).slice(0, 20);
  const max = Math.max(...fields.map((f) => f.count), 1);
  const rows = fields
    .map(
      (f) =>
        `<tr data-field="${esc(f.field)}"><td><code>${esc(f.field)}</code></td><td class="num">${esc(formatNumber(f.count))}</td>` +
        `<td class="barcell"><span class="bar" style="width:${((f.count / max) * 100).toFixed(1)}%"></span></td></tr>`,
    )
    .join('\n');
  return `<section id="differing"><h2>Fields that differ most</h2><table class="differing"><thead><tr><th>Field</th><th>Records</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table></section>`;
}

function renderTimelineTable(report: RunReport): string {
  const rates = toRates(report.timeline);
  if (rates.length === 0) return '';
  const rows = rates
    .map(
      (r) =>
        `<tr><td>${esc(formatDuration(r.startMs))} - ${esc(formatDuration(r.endMs))}</td><td class="num">${esc(formatNumber(Math.round(r.rowsPerSecond * 10) / 10))}</td>` +
        `<td class="num">${esc(formatNumber(Math.round(r.requestsPerSecond * 10) / 10))}</td><td class="num">${esc(formatNumber(r.retries))}</td><td class="num">${esc(formatNumber(r.throttled))}</td></tr>`,
    )
    .join('\n');
  return `<details><summary>The numbers behind the chart</summary><table class="timeline"><thead><tr><th>Time</th><th>${esc(KIND_UNIT[report.kind])}</th><th>requests/s</th><th>retries</th><th>throttled</th></tr></thead><tbody>\n${rows}\n</tbody></table></details>`;
}

const STYLE = `
:root { --fg:#1d2733; --muted:#667085; --line:#e3e8ef; --bg:#f6f8fb; --good:#157f3b; --bad:#b42318; --warn:#b54708; --rows:#2563eb; --req:#7c3aed; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
header h1 { font-size: 22px; margin: 0 0 6px; word-break: break-word; }
.status { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; color: #fff; }
.status-succeeded { background: var(--good); } .status-partial { background: var(--warn); } .status-failed, .status-interrupted { background: var(--bad); }
.meta { color: var(--muted); margin: 8px 0 0; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 18px 0; }
h2 { font-size: 17px; margin: 0 0 12px; } h3 { font-size: 15px; margin: 12px 0 4px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; }
.figure { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.figure .value { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); }
.tone-good .value { color: var(--good); } .tone-bad .value { color: var(--bad); } .tone-warn .value { color: var(--warn); }
.extra { color: var(--muted); margin: 12px 0 0; } .extra span { margin-right: 18px; }
.alert { border-color: var(--bad); background: #fff5f4; } .alert li { color: var(--bad); }
.notes li { margin: 2px 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.settings td:first-child { color: var(--muted); width: 30%; }
.error-group { border-top: 1px solid var(--line); padding-top: 6px; }
.error-group .count { background: #fee4e2; color: var(--bad); border-radius: 10px; padding: 0 8px; font-weight: 600; }
.message { white-space: pre-wrap; word-break: break-word; }
.values { color: var(--muted); font-size: 13px; margin-top: 4px; word-break: break-word; white-space: pre-wrap; }
.cell { display: inline-block; margin-right: 10px; } .col { font-weight: 600; }
.hidden { font-style: italic; color: var(--muted); }
.muted { color: var(--muted); } .good-text { color: var(--good); } .warn-text { color: var(--warn); }
.chart { width: 100%; height: auto; }
.chart .grid { stroke: var(--line); } .chart .axis { fill: var(--muted); font-size: 12px; }
.chart polyline { fill: none; stroke-width: 2; } .chart .rows { stroke: var(--rows); } .chart .requests { stroke: var(--req); stroke-dasharray: 5 3; }
.chart .retries circle { fill: #f79009; } .chart .throttled line { stroke: var(--bad); stroke-dasharray: 3 3; } .chart .throttled path { fill: var(--bad); }
.legend .key { display: inline-block; width: 14px; height: 4px; vertical-align: middle; margin: 0 4px 0 12px; }
.legend .key.rows { background: var(--rows); } .legend .key.requests { background: var(--req); }
.legend .key.retries { background: #f79009; height: 8px; width: 8px; border-radius: 4px; } .legend .key.throttled { background: var(--bad); }
.barcell { width: 50%; } .bar { display: inline-block; height: 10px; background: var(--warn); border-radius: 3px; }
footer { color: var(--muted); font-size: 13px; text-align: center; margin: 24px 0; }
`;

/** The page for a run. Every value is escaped; settings and columns named like secrets are hidden. */
export function renderRunReport(report: RunReport): string {
  const figs = figures(report);
  const problems = inconsistencies(report);
  const figureHtml = figs
    .map(
      (f) =>
        `<div class="figure tone-${f.tone}" data-count="${esc(f.id)}"><div class="value" data-value="${f.value}">${esc(formatNumber(f.value))}</div><div class="label">${esc(f.label)}</div></div>`,
    )
    .join('\n');
  const extra = (report.extraCounts ?? []).map((c) => `<span data-extra="${esc(c.label)}">${esc(c.label)}: <strong>${esc(formatNumber(c.value))}</strong></span>`).join('');
  const settings = report.settings.map((s) => `<tr><td>${esc(s.name)}</td><td>${settingValue(s.name, s.value)}</td></tr>`).join('\n');
  const links = report.links.map((l) => `<li>${link(l.label, l.href)}</li>`).join('\n');
  const notes = (report.notes ?? []).map((n) => `<li>${esc(n)}</li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${esc(report.title)}</h1>
<span class="status status-${esc(report.status)}" data-status="${esc(report.status)}">${esc(STATUS_TEXT[report.status])}</span>
<span class="exit">exit code <strong data-exit-code="${report.exitCode}">${esc(report.exitCode)}</strong></span>
<p class="meta">${esc(report.kind)} · started ${esc(report.startedAt)} · finished ${esc(report.finishedAt)} · took <strong data-elapsed-ms="${report.elapsedMs}">${esc(formatDuration(report.elapsedMs))}</strong></p>
</header>
${problems.length > 0 ? `<section class="alert" id="inconsistent"><h2>These figures do not add up</h2><ul>\n${problems.map((p) => `<li>${esc(p)}</li>`).join('\n')}\n</ul><p>Check errors.csv and summary.json before trusting this run.</p></section>` : ''}
${notes === '' ? '' : `<section class="notes" id="notes"><ul>\n${notes}\n</ul></section>`}
<section id="counts"><h2>Counts</h2>
<div class="figures">
${figureHtml}
</div>
${extra === '' ? '' : `<p class="extra">${extra}</p>`}
</section>
<section id="throughput"><h2>Throughput</h2>
${renderThroughputChart(report.timeline, KIND_UNIT[report.kind])}
${renderTimelineTable(report)}
</section>
${renderErrors(report)}
${renderDiffering(report)}
<section id="settings"><h2>Settings</h2><table class="settings"><tbody>
${settings}
</tbody></table></section>
${links === '' ? '' : `<section id="files"><h2>Files</h2><ul>\n${links}\n</ul></section>`}
<footer>wapi-bulk run report</footer>
</main>
</body>
</html>
`;
}
