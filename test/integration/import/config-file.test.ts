/**
 * wapi-bulk.config.yaml: connection settings and defaults, never a secret; flags beat the
 * environment, which beats the config file (issue "Operator experience").
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, latestOut, readSummary, workspace, type Workspace } from './helpers.js';

const VARS = ['WAPI_URL', 'WAPI_TENANT', 'WAPI_USERNAME', 'WAPI_PASSWORD', 'WAPI_API_KEY', 'WAPI_TRANSPORT', 'WAPI_TIMEZONE'];

describe('the config file', () => {
  let ws: Workspace;
  let saved: Record<string, string | undefined>;
  beforeEach(async () => {
    ws = await workspace();
    saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
    for (const v of VARS) delete process.env[v];
    const secret = join(ws.dir, 'secrets', 'password');
    mkdirSync(join(ws.dir, 'secrets'));
    writeFileSync(secret, 'john123\n', { mode: 0o600 });
    chmodSync(secret, 0o600);
    ws.write('wapi-bulk.config.yaml', [`url: ${ws.emulator.url}`, 'tenant: AcmeJets', 'username: johnd', 'passwordFile: secrets/password', 'state: state/crm.sqlite', 'concurrency: 2'].join('\n'));
  });
  afterEach(async () => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    await ws.close();
  });

  it('gives the connection and the defaults: no flag, no environment variable needed', async () => {
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')], { url: false });
    expect(run.code, run.stderr).toBe(0);
    expect(readSummary(latestOut(ws.dir, 'customers'))).toMatchObject({ added: 5 });
    // The state file named there (relative to the config file), not the default.
    const runs = await ws.cli(['runs', '--state', 'state/crm.sqlite'], { url: false });
    expect(runs.stdout).toMatch(/^run 1: customers/m);
  });

  it('flags beat the environment, which beats the config file', async () => {
    process.env['WAPI_TENANT'] = 'NoSuchTenant';
    const fromEnv = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')], { url: false });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('Invalid login parameters.');
    const fromFlag = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--tenant', 'AcmeJets'], { url: false });
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
  });

  it('a path starting with ~/ is in the home folder, as in a shell', async () => {
    // Found in review: passwordFile: ~/.config/wapi-bulk/password was read as ./~/.config/...
    const home = process.env['HOME'];
    process.env['HOME'] = join(ws.dir, 'secrets');
    try {
      ws.write('wapi-bulk.config.yaml', [`url: ${ws.emulator.url}`, 'tenant: AcmeJets', 'username: johnd', 'passwordFile: ~/password'].join('\n'));
      const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')], { url: false });
      expect(run.code, run.stderr).toBe(0);
    } finally {
      process.env['HOME'] = home;
    }
  });

  it('--config names another file; a secret in a config file is refused, exit 2, without echoing it', async () => {
    ws.write('other.yaml', `url: ${ws.emulator.url}\ntenant: AcmeJets\nusername: johnd\npassword: john123\n`);
    const run = await ws.cli(['--config', 'other.yaml', 'import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/other\.yaml holds password: a config file never holds a secret \(write the password into a file of its own/);
    expect(run.stderr).not.toContain('john123');
    const typo = await ws.cli(['--config', ws.write('typo.yaml', 'tenantt: x\n'), 'runs'], { url: false });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('typo.yaml');
  });
});
