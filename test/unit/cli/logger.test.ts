import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, HumanLogLines } from '../../../src/cli/logger.js';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { out, text: () => text };
}

describe('the log on stderr is for people', () => {
  it('a burst of one message is one line, then how often it repeated', () => {
    // Found in review: a retry storm filled stderr with one JSON line per retried request.
    const { out, text } = capture();
    let now = 0;
    const lines = new HumanLogLines(out, () => now);
    const line = (msg: string, extra: Record<string, unknown> = {}) => JSON.stringify({ level: 40, time: now, msg, ...extra });
    for (let i = 0; i < 12; i++) {
      lines.write(line('the connection to http://crm failed (ECONNRESET)', { code: 'WAPI_CONNECTION_RESET' }));
      now += 100;
    }
    lines.write(line('something else'));
    now += 10_000;
    lines.write(line('the connection to http://crm failed (ECONNRESET)', { code: 'WAPI_CONNECTION_RESET' }));
    lines.endBurst();
    expect(text()).toBe(
      [
        'warning: the connection to http://crm failed (ECONNRESET) (code WAPI_CONNECTION_RESET)',
        '  (the same 11 more times)',
        'warning: something else',
        'warning: the connection to http://crm failed (ECONNRESET) (code WAPI_CONNECTION_RESET)',
        '',
      ].join('\n'),
    );
  });

  it('redacts the password and the API key on stderr and in the --log-file, and writes no JSON to stderr', async () => {
    const { out, text } = capture();
    const { logger } = createLogger({ level: 'info', stderr: out });
    logger.warn({ credentials: { password: 'p4ss', apiKey: 'k3y' }, code: 'X' }, 'hello');
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('warning: hello (code X)\n');
    expect(text()).not.toMatch(/p4ss|k3y/);
  });
});
