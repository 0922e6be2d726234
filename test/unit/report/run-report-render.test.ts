import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRunReport, writeRunReport, type RunReport } from '../../../src/report/run-report/index.js';
import { importReport } from './run-report-fixtures.js';

/** The text of an element whose attribute is `name="value"`, tags stripped. */
function figure(html: string, id: string): string | undefined {
  const m = new RegExp(`data-count="${id}"><div class="value" data-value="(\\d+)"`).exec(html);
  return m?.[1];
}

describe('renderRunReport', () => {
  it('a cell holding <script> renders as text', () => {
    const html = renderRunReport(
      importReport({
        title: 'import of </title><script>alert(1)</script>.csv',
        errorGroups: [
          {
            code: '<b>CODE</b>',
            count: 2,
            message: '<img src=x onerror=alert(1)>',
            distinctMessages: 1,
            examples: [{ row: '3', key: '"><script>k()</script>', stage: 'validate', message: 'bad', values: [['notes', '<script>alert("cell")</script>'], ['<th>', "it's & so"]] }],
          },
        ],
      }),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>CODE</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;cell&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('it&#39;s &amp; so');
  });

  it('a setting named like a secret is hidden, whatever its value', () => {
    const secrets = ['john123', 'sk-live-42', 'hunter2', 's3cr3t', 'tok-9', 'pw-in-url'];
    const html = renderRunReport(
      importReport({
        settings: [
          { name: 'password', value: 'john123' },
          { name: 'apiKey', value: 'sk-live-42' },
          { name: 'WAPI_PASSWORD', value: 'hunter2' },
          { name: 'client secret', value: 's3cr3t' },
          { name: 'access-token', value: 'tok-9' },
          { name: 'endpoint', value: 'https://johnd:pw-in-url@vcc-na4.example/WAPI/wapi.php' },
          { name: 'tenant', value: 'AcmeJets' },
        ],
        errorGroups: [
          { code: 'ROW_INVALID', count: 2, message: 'm', distinctMessages: 1, examples: [{ row: '1', key: 'k', stage: 'validate', message: 'm', values: [['PASSWORD', 'john123']] }] },
        ],
      }),
    );
    for (const secret of secrets) expect(html).not.toContain(secret);
    expect(html).toContain('AcmeJets');
    expect(html).toContain('https://johnd:(hidden)@vcc-na4.example/WAPI/wapi.php');
    expect(html.match(/\(hidden\)/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('shows the counts of each kind of run as figures', () => {
    const html = renderRunReport(importReport());
    expect(figure(html, 'rows')).toBe('10');
    expect(figure(html, 'added')).toBe('5');
    expect(figure(html, 'failed')).toBe('2');

    const base = importReport();
    const kinds: Array<[RunReport, Record<string, number>]> = [
      [{ ...base, kind: 'export', counts: { records: 1200, ranges: 3, failedRanges: 0 }, errorGroups: [], status: 'succeeded', exitCode: 0 }, { records: 1200, ranges: 3, failedRanges: 0 }],
      [{ ...base, kind: 'reconcile', counts: { compared: 9, same: 5, missing: 1, different: 3, extra: 4 }, differingFields: [{ field: 'EMAIL', count: 3 }] }, { missing: 1, different: 3, extra: 4 }],
      [{ ...base, kind: 'undo', counts: { deleted: 7, restored: 2, refused: 1 } }, { deleted: 7, restored: 2, refused: 1 }],
    ];
    for (const [report, expected] of kinds) {
      const page = renderRunReport(report);
      for (const [id, n] of Object.entries(expected)) expect(figure(page, id), `${report.kind} ${id}`).toBe(String(n));
    }
    expect(renderRunReport(kinds[1]?.[0] as RunReport)).toContain('data-field="EMAIL"');
  });

  it('counts that do not add up are called out at the top', () => {
    const ok = renderRunReport(importReport());
    expect(ok).not.toContain('id="inconsistent"');
    const html = renderRunReport(importReport({ counts: { rows: 11, added: 5, modified: 2, unchanged: 1, skipped: 0, deleted: 0, validated: 0, failed: 2, pending: 0 } }));
    expect(html).toContain('id="inconsistent"');
    expect(html).toContain('11 rows, but added + modified + unchanged + skipped + deleted + valid + failed + not processed = 10');
  });

  it('an error list shorter than the failed count is called out', () => {
    const html = renderRunReport(importReport({ errorGroups: [] }));
    expect(html).toContain('2 rows failed, but the error list holds 0');
  });

  it('a status that contradicts the exit code is called out', () => {
    const html = renderRunReport(importReport({ status: 'succeeded', exitCode: 1 }));
    expect(html).toContain('the status &quot;succeeded&quot; goes with exit code 0, but the run exited 1');
  });

  it('links only to relative paths: a javascript: link is shown as text', () => {
    const html = renderRunReport(importReport({ links: [{ label: 'bad', href: 'javascript:alert(1)' }, { label: 'far', href: 'https://example.com/x' }, { label: 'ok', href: 'errors 2.csv' }] }));
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('href="https://example.com');
    expect(html).toContain('<a href="errors%202.csv">ok</a>');
  });

  it('is self-contained: no script, no external resource, a CSP that forbids both', () => {
    const html = renderRunReport(importReport());
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"'<]+/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg' && !u.startsWith('http://127.0.0.1:8088'))).toEqual([]);
  });

  it('charts the timeline with retries and throttling marked, or says the run was too short', () => {
    const html = renderRunReport(importReport());
    expect(html).toContain('<polyline class="rows"');
    expect(html).toContain('2 retries between 2.0 s and 4.0 s');
    expect(html).toContain('1 throttled (HTTP 429) between 2.0 s and 4.0 s');
    expect(renderRunReport(importReport({ timeline: [] }))).toContain('The run was too short to chart.');
  });

  it('renders the same report to the same page', () => {
    expect(renderRunReport(importReport())).toBe(renderRunReport(importReport()));
  });
});

describe('writeRunReport', () => {
  it('writes report.html into the folder and leaves no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wapi-run-report-'));
    try {
      const file = await writeRunReport(dir, importReport());
      expect(file).toBe(join(dir, 'report.html'));
      expect(readFileSync(file, 'utf8')).toBe(renderRunReport(importReport()));
      expect(readdirSync(dir)).toEqual(['report.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
