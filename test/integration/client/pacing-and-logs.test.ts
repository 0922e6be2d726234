/** Adaptive pacing against the emulator's rate limit, and the client's debug log. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { createJsonLogger } from '../../../src/cli/logger.js';
import { runCli } from '../../../src/cli/program.js';
import { startGateway, type TestServer } from './http-servers.js';

const CREDENTIALS = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

/** A logger at debug whose JSON lines are kept, as pino's tests read them. */
function sink() {
  const lines: Array<Record<string, unknown>> = [];
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createJsonLogger('debug', stream), lines, text: () => text };
}

describe('429 storms', () => {
  let limited: RunningEmulator;
  beforeAll(async () => {
    limited = await startEmulator({ port: 0, rateLimit: 20 });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('at concurrency 64 against --rate-limit 20: every request lands, and far fewer 429s than one blind burst', async () => {
    // Bug: every request slept exactly Retry-After and all retried in the same instant; at
    // concurrency 64, 194 of 600 rows failed after 5 retries.
    const client = new WapiClient({ url: limited.url, credentials: CREDENTIALS, connections: 64 });
    try {
      let next = 0;
      const statuses: string[] = [];
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next++ < 60) statuses.push((await client.send({ object: 'CUSTOMER', action: 'GET', tags: [['LASTNAME', 'Nobody']] })).status);
        }),
      );
      expect(statuses).toEqual(Array(60).fill('0'));
      // A blind burst of 64 gets 44 refusals in its first second alone; slow start and the
      // Retry-After pause keep it to about what the server took before its first refusal.
      expect(client.stats.throttled).toBeLessThan(30);
      expect(client.stats.pacing.slowdowns).toBeGreaterThanOrEqual(1);
      // Paced near the limit (AIMD keeps probing a little above it).
      expect(client.stats.pacing.rate).toBeGreaterThan(5);
      expect(client.stats.pacing.rate).toBeLessThan(30);
      expect(client.stats.requests).toBe(60 + client.stats.throttled);
    } finally {
      await client.close();
    }
  });
});

describe('--log-level debug', () => {
  let emulator: RunningEmulator;
  let gateway: TestServer;
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    gateway = await startGateway(emulator.url, { ...CREDENTIALS, apiKey: 'acme-demo-key-SECRET' });
    dir = mkdtempSync(join(tmpdir(), 'wapi-logs-'));
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const name of ['WAPI_TENANT', 'WAPI_USERNAME', 'WAPI_PASSWORD']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('logs each request (object, action, tags) and each reply status, with passwords redacted', async () => {
    // Bug: --log-level debug said nothing about requests or replies.
    const log = sink();
    const client = new WapiClient({ url: emulator.url, credentials: CREDENTIALS, logger: log.logger });
    try {
      await client.call({ object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', 'Ada'], ['LASTNAME', 'Lovelace'], ['AUTOPASSWD', 'FALSE'], ['PASSWORD', 'custpw99']] });
    } finally {
      await client.close();
    }
    expect(log.lines.find((l) => l['msg'] === 'request')).toMatchObject({
      level: 20,
      object: 'CUSTOMER',
      action: 'ADD',
      tags: [['FIRSTNAME', 'Ada'], ['LASTNAME', 'Lovelace'], ['AUTOPASSWD', 'FALSE'], ['PASSWORD', '[redacted]']],
    });
    expect(log.lines.find((l) => l['msg'] === 'reply')).toMatchObject({ object: 'CUSTOMER', action: 'ADD', httpStatus: 200 });
    expect(log.lines.find((l) => l['msg'] === 'reply status')).toMatchObject({ object: 'CUSTOMER', action: 'ADD', status: '0', errorCode: '0' });
    expect(log.text()).not.toMatch(/john123|custpw99/);
  });

  it('never logs the API key, whatever is handed to the logger', async () => {
    const log = sink();
    const client = new WapiClient({ url: gateway.url('/cc/v1/wapi'), credentials: { tenant: 'AcmeJets', apiKey: 'acme-demo-key-SECRET' }, logger: log.logger });
    try {
      await client.call({ object: 'CUSTOMER', action: 'GET', tags: [['LASTNAME', 'acme-demo-key-SECRET']] });
      log.logger.info({ credentials: { tenant: 'AcmeJets', apiKey: 'acme-demo-key-SECRET' }, headers: { 'x-api-key': 'acme-demo-key-SECRET' }, client }, 'printing everything');
    } finally {
      await client.close();
    }
    expect(log.lines.some((l) => l['msg'] === 'reply status')).toBe(true);
    expect(log.text()).not.toContain('acme-demo-key-SECRET');
  });

  it('through the CLI: --log-level debug puts the request and reply lines on stderr for people, and as JSON in --log-file', async () => {
    process.env['WAPI_TENANT'] = 'AcmeJets';
    process.env['WAPI_USERNAME'] = 'johnd';
    process.env['WAPI_PASSWORD'] = 'john123';
    const out = new PassThrough();
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (c) => (stderr += String(c)));
    const logFile = join(dir, 'logs', 'run.jsonl');
    const code = await runCli(['node', 'wapi-bulk', '--log-level', 'debug', '--log-file', logFile, 'export', 'faqcategory', '--url', emulator.url, '--out', join(dir, 'faqcategories.csv')], { stdout: out, stderr: err });
    expect(code).toBe(0);
    // stderr is for people: no JSON, one line each.
    expect(stderr).not.toMatch(/^\{/m);
    expect(stderr).toMatch(/^debug: request \(object FAQCATEGORY, action GET/m);
    expect(stderr).toMatch(/^debug: reply status \(.*status 0/m);
    const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['msg'] === 'request').length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l['msg'] === 'reply status' && l['status'] === '0')).toBe(true);
    expect(statSync(logFile).mode & 0o077).toBe(0);
    expect(stderr + readFileSync(logFile, 'utf8')).not.toContain('john123');
  });
});
