/**
 * `wapi-bulk.config.yaml` (in the current folder, or `--config FILE`): connection settings and
 * defaults for every command, so a nightly job's command line stays short. It never holds a
 * secret, only where to read one (`passwordFile`, `apiKeyFile`). Precedence: flags, then the
 * environment, then the config file, then the built-in defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../protocol/errors.js';

export const CONFIG_FILE = 'wapi-bulk.config.yaml';

const SECRET_KEYS = ['password', 'apiKey', 'api_key', 'apikey', 'secret', 'token'];

const configSchema = z
  .strictObject({
    url: z.string().min(1).optional(),
    transport: z.enum(['form', 'gateway']).optional(),
    tenant: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    apiKeyFile: z.string().min(1).optional(),
    timezone: z.string().min(1).optional(),
    state: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).optional(),
    rate: z.number().positive().optional(),
    maxErrors: z.number().int().min(0).optional(),
    maxReplyMb: z.number().int().min(1).optional(),
    requestTimeout: z.number().int().min(1).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).optional(),
    logFile: z.string().min(1).optional(),
  })
  .meta({ title: 'wapi-bulk config', description: 'Connection settings and defaults; never a secret.' });

export type ConfigFile = z.output<typeof configSchema>;

/** Keys whose value is a path, resolved against the config file's folder. */
const PATHS = new Set(['passwordFile', 'apiKeyFile', 'state', 'logFile']);

/**
 * The environment variable that outranks a key (flags > environment > config file). For the
 * secret files, the secret's own variable: WAPI_PASSWORD set means the config's passwordFile is
 * not read.
 */
const ENV: Readonly<Record<string, string>> = {
  url: 'WAPI_URL',
  transport: 'WAPI_TRANSPORT',
  tenant: 'WAPI_TENANT',
  username: 'WAPI_USERNAME',
  passwordFile: 'WAPI_PASSWORD',
  apiKeyFile: 'WAPI_API_KEY',
  timezone: 'WAPI_TIMEZONE',
};

/** Read the config file: the one given (it must exist), or the current folder's when there is one. */
export function loadConfigFile(path: string | undefined, cwd = process.cwd()): { file: string; config: ConfigFile } | undefined {
  const file = path === undefined ? resolve(cwd, CONFIG_FILE) : resolve(cwd, path);
  if (path === undefined && !existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 100 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code ? `cannot read the config file ${file}: ${code}` : `the config file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      'fix it, or give another --config',
    );
  }
  if (raw === null || raw === undefined) return { file, config: {} };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const secret = Object.keys(raw).find((k) => SECRET_KEYS.includes(k.toLowerCase()));
    if (secret) {
      throw new ConfigError(
        `the config file ${file} holds ${secret}: a config file never holds a secret`,
        secret.toLowerCase().includes('key') ? 'write the key into a file of its own (chmod 600) and give apiKeyFile:, or set WAPI_API_KEY' : 'write the password into a file of its own (chmod 600) and give passwordFile:, or set WAPI_PASSWORD',
      );
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new ConfigError(`the config file ${file}: ${problems}`, `keys: ${Object.keys(configSchema.shape).join(', ')}`);
  }
  const config: Record<string, unknown> = { ...parsed.data };
  for (const key of PATHS) {
    const value = config[key];
    // `~/` is the home folder, as in a shell: a config file is written by people.
    if (typeof value === 'string') config[key] = /^~(\/|$)/.test(value) ? join(homedir(), value.slice(1)) : resolve(dirname(file), value);
  }
  return { file, config: config as ConfigFile };
}

/**
 * Fill the options of the command about to run (and the program's) from the config file, where
 * neither a flag nor the environment gave them.
 */
export function applyConfig(config: ConfigFile, commands: readonly Command[], env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    const variable = ENV[key];
    if (variable !== undefined && (env[variable] ?? '') !== '') continue;
    for (const command of commands) {
      const known = command.options.some((o) => o.attributeName() === key);
      if (!known) continue;
      const source = command.getOptionValueSource(key);
      if (source === 'cli' || source === 'env') continue;
      command.setOptionValueWithSource(key, value, 'config');
    }
  }
}
