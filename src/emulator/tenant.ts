import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../protocol/errors.js';
import type { ObjectName, TenantList } from '../protocol/catalogue.js';
import { CUSTOM_FIELD_TYPES } from '../protocol/wire-formats.js';
import { COUNTRIES } from './countries.js';

const Right = z.enum(['add', 'modify', 'get', 'delete']);
const AREAS = ['customers', 'cases', 'followups', 'tasks', 'faq'] as const;
const Rights = z.union([z.literal('all'), z.partialRecord(z.enum(AREAS), z.array(Right))]);

const ListItem = z.union([
  z.string(),
  z.object({ value: z.string(), active: z.boolean().default(true), usability: z.enum(['UNA', 'OPN', 'CLS']).optional() }),
]);

const CustomField = z.object({
  tag: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/),
  type: z.enum(CUSTOM_FIELD_TYPES),
  maxLength: z.number().int().positive().default(255),
  unique: z.boolean().default(false),
  values: z.array(z.string()).default([]),
  inactive: z.array(z.string()).default([]),
  deleted: z.boolean().default(false),
});

const TenantSchema = z.object({
  tenant: z.string().min(1),
  users: z
    .array(
      z.object({
        username: z.string(),
        password: z.string(),
        identity: z.string(),
        rights: Rights.default('all'),
        // Admin Console API keys that act as this user on the API gateway (/cc/v1/wapi).
        apiKeys: z.array(z.string().min(8, 'an API key has at least 8 characters')).default([]),
      }),
    )
    .min(1),
  agents: z.array(z.object({ id: z.string(), name: z.string(), deleted: z.boolean().default(false) })),
  groups: z.array(z.object({ id: z.coerce.string(), name: z.string(), deleted: z.boolean().default(false) })),
  lists: z.partialRecord(z.string(), z.array(ListItem)),
  customFields: z.partialRecord(z.enum(['CUSTOMER', 'CASE', 'FOLLOWUP', 'TASK']), z.array(CustomField)).default({}),
  picklists: z.record(z.string(), z.array(z.string())).default({}),
});

export type CustomFieldDef = z.infer<typeof CustomField>;
export type Area = (typeof AREAS)[number];
export type RightName = z.infer<typeof Right>;

export interface ListValue {
  readonly value: string;
  readonly active: boolean;
  readonly usability?: 'UNA' | 'OPN' | 'CLS';
}

export interface TenantUser {
  readonly username: string;
  readonly password: string;
  readonly identity: string;
  /** SHA-256 of the password, compared in constant time with the one a request sends. */
  readonly passwordDigest: Buffer;
  /** SHA-256 of each API key of the user: the keys themselves are not kept. */
  readonly apiKeyDigests: readonly Buffer[];
  can(area: Area, right: RightName): boolean;
}

export const keyDigest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** A tenant's configuration, as Configuration Manager would hold it. */
export interface Tenant {
  readonly name: string;
  readonly users: readonly TenantUser[];
  readonly agents: ReadonlyMap<string, { name: string; deleted: boolean }>;
  readonly groups: ReadonlyMap<string, { name: string; deleted: boolean }>;
  list(name: TenantList): readonly ListValue[];
  customFields(object: ObjectName): readonly CustomFieldDef[];
  readonly picklists: Readonly<Record<string, readonly string[]>>;
}

export function tenantFromConfig(raw: unknown, source = 'tenant config'): Tenant {
  const parsed = TenantSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${source}: ${problems}`, 'compare with samples/tenant.yaml');
  }
  const cfg = parsed.data;
  const keys = cfg.users.flatMap((u) => u.apiKeys);
  const repeated = keys.find((k, i) => keys.indexOf(k) !== i);
  if (repeated !== undefined) {
    // Not the key itself: configuration errors are printed, and keys are secrets.
    throw new ConfigError(`${source}: users: an API key is given to more than one user (or twice)`, 'give every API key to one user only');
  }
  const lists = new Map<string, ListValue[]>();
  for (const [name, items] of Object.entries(cfg.lists)) {
    lists.set(
      name,
      (items ?? []).map((i) => (typeof i === 'string' ? { value: i, active: true } : i)),
    );
  }
  if (!lists.has('COUNTRY')) lists.set('COUNTRY', COUNTRIES.map((value) => ({ value, active: true })));
  const users: TenantUser[] = cfg.users.map((u) => ({
    username: u.username,
    password: u.password,
    identity: u.identity,
    passwordDigest: keyDigest(u.password),
    apiKeyDigests: u.apiKeys.map(keyDigest),
    can: (area, right) => u.rights === 'all' || (u.rights[area] ?? []).includes(right),
  }));
  return {
    name: cfg.tenant,
    users,
    agents: new Map(cfg.agents.map((a) => [a.id, { name: a.name, deleted: a.deleted }])),
    groups: new Map(cfg.groups.map((g) => [g.id, { name: g.name, deleted: g.deleted }])),
    list: (name) => lists.get(name) ?? [],
    customFields: (object) => (cfg.customFields as Partial<Record<string, CustomFieldDef[]>>)[object] ?? [],
    picklists: cfg.picklists,
  };
}

export function loadTenant(file: string): Tenant {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read tenant config ${file}: ${(error as NodeJS.ErrnoException).code}`, 'pass --tenant-config FILE');
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`tenant config ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'compare with samples/tenant.yaml');
  }
  return tenantFromConfig(raw, file);
}
