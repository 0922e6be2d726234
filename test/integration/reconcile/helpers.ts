/** Shared set-up of the reconcile tests: the import tests' workspace, and readers for a reconcile's folder. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestOut, readCsv, type Workspace } from '../import/helpers.js';

export { CREDENTIALS, fixture, latestOut, readCsv, useCredentialsEnv, workspace, type Workspace } from '../import/helpers.js';

export interface ReconcileOut {
  readonly dir: string;
  readonly summary: Record<string, unknown> & {
    sourceRows: number;
    matched: number;
    same: number;
    missing: number;
    different: number;
    differentFields: number;
    extra: number | null;
    invalid: number;
    requests: number;
    strategy: string;
    exitCode: number;
    status: string;
    warnings: string[];
  };
  readonly missing: Array<Record<string, string>>;
  readonly different: Array<Record<string, string>>;
  readonly extra: Array<Record<string, string>>;
  readonly repair: Array<Record<string, string>>;
  readonly invalid: Array<Record<string, string>>;
}

/** The files of a reconcile's report folder, parsed. */
export function readOut(dir: string, options: { delimiter?: string } = {}): ReconcileOut {
  const csv = (name: string) => readCsv(join(dir, name), options);
  return {
    dir,
    summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as ReconcileOut['summary'],
    missing: csv('missing.csv'),
    different: csv('different.csv'),
    extra: csv('extra.csv'),
    repair: csv('repair.csv'),
    invalid: csv('invalid.csv'),
  };
}

/** Run `wapi-bulk reconcile` in the workspace; the exit code, output and the parsed folder. */
export async function runReconcile(
  ws: Workspace,
  csv: string,
  mapping: string,
  mappingName: string,
  ...rest: string[]
): Promise<{ code: number; stdout: string; stderr: string; out: ReconcileOut }> {
  const result = await ws.cli(['reconcile', csv, '--mapping', mapping, '--quiet', ...rest]);
  const dir = latestOut(ws.dir, mappingName);
  if (!existsSync(join(dir, 'summary.json'))) throw new Error(`no reconcile report (exit ${result.code}): ${result.stderr}`);
  return { ...result, out: readOut(dir) };
}

/** CSV text from a header and rows (values quoted when they need it). */
export function csvText(header: readonly string[], rows: ReadonlyArray<readonly string[]>, eol = '\n'): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join(eol) + eol;
}

export const CUSTOMER_HEADER = ['legacy_id', 'first_name', 'last_name', 'email', 'company', 'city', 'country', 'tier', 'notes'] as const;

/** `n` customer rows with legacy ids L1..Ln: every value valid for the emulator's tenant. */
export function customerRows(n: number, from = 1): string[][] {
  const tiers = ['gold', 'standard', 'partner', ''];
  const countries = ['US', 'DE', 'FR', ''];
  const rows: string[][] = [];
  for (let i = from; i < from + n; i++) {
    rows.push([`L${i}`, `First${i}`, `Last${i}`, `person${i}@example.com`, i % 5 === 0 ? '' : `Company ${i % 7}`, `City ${i % 11}`, countries[i % 4] as string, tiers[i % 4] as string, i % 3 === 0 ? `line one\nline two ${i}` : `note ${i}`]);
  }
  return rows;
}

/** An upsert mapping of CUSTOMER_HEADER by LEGACY_ID, as customers are usually migrated. */
export const CUSTOMER_MAPPING = `name: people
object: customer
action: upsert
key: legacy_id
match: LEGACY_ID
customFields: [LEGACY_ID]
fields:
  FIRSTNAME: { column: first_name, trim: true }
  LASTNAME: { column: last_name, trim: true }
  EMAIL: { column: email, transform: [trim, lower] }
  COMPANY: company
  ADDR1CITY: city
  ADDR1COUNTRY: { column: country, map: { US: United States, DE: Germany, FR: France }, default: United States }
  CUSTOMERTYPE: { column: tier, map: { gold: vip, partner: nt user, standard: default }, default: Default }
  COMMENTS: notes
  AUTOPASSWD: { value: "TRUE" }
  LEGACY_ID: legacy_id
`;

/** Emulator fixtures holding exactly what importing customerRows(n) would hold. */
export function customerFixtures(n: number, from = 1, firstId = 10_000_000): Array<Record<string, string | number>> {
  const countries: Record<string, string> = { US: 'United States', DE: 'Germany', FR: 'France', '': 'United States' };
  const tiers: Record<string, string> = { gold: 'VIP', standard: 'Default', partner: 'NT User', '': 'Default' };
  return customerRows(n, from).map(([legacy, first, last, email, company, city, country, tier, notes], i) => ({
    ACCOUNTNUM: firstId + i * 3,
    FIRSTNAME: first as string,
    LASTNAME: last as string,
    EMAIL: email as string,
    COMPANY: company as string,
    ADDR1CITY: city as string,
    ADDR1COUNTRY: countries[country as string] as string,
    CUSTOMERTYPE: tiers[tier as string] as string,
    COMMENTS: notes as string,
    AUTOPASSWD: 'TRUE',
    LEGACY_ID: legacy as string,
  }));
}
