/**
 * A deterministic CRM history for the export tests and the benchmark: records over sparse ids
 * and many days, ids growing with creation time as the API's sequences do, and the awkward
 * parts on purpose: days with more records than max-items all with one assignee and creator,
 * records created by or assigned to the deleted agent, groups, no assignee, deactivated values.
 */
import type { Fixtures } from '../../../src/emulator/index.js';
import { mulberry32 } from '../../../src/emulator/faults.js';

type Row = Record<string, string | number>;

/** A seeded generator (the emulator's own), so every run builds the same history. */
export const random = mulberry32;

const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 2);

export function isoAt(day: number, second: number): string {
  return new Date(START + day * DAY + (second % 86_400) * 1000).toISOString().slice(0, 19);
}

const AGENTS = ['johnd', 'jsmith', 'bobp', 'rshasta', 'sbaker', 'jdoe', 'pma'];

export interface HistoryOptions {
  readonly customers?: number;
  readonly cases?: number;
  readonly tasks?: number;
  readonly followups?: number;
  readonly faqCategories?: number;
  readonly faqs?: number;
  /** Days the history spans. */
  readonly days?: number;
  readonly seed?: number;
  /** Days (from the start) crowded with `crowd` records of one assignee and creator. */
  readonly crowdedDays?: readonly number[];
  readonly crowd?: number;
}

/** Spread `n` records over `days` days with growing ids; crowded days get `crowd` extra. */
function timeline(n: number, days: number, rnd: () => number, crowded: readonly number[], crowd: number) {
  const out: Array<{ day: number; second: number; crowded: boolean }> = [];
  const plain = Math.max(0, n - crowded.length * crowd);
  const points: Array<{ day: number; crowded: boolean }> = [];
  for (let i = 0; i < plain; i++) points.push({ day: Math.floor(rnd() * days), crowded: false });
  for (const day of crowded) for (let i = 0; i < crowd; i++) points.push({ day, crowded: true });
  points.sort((a, b) => a.day - b.day);
  let lastDay = -1;
  let second = 0;
  for (const p of points) {
    second = p.day === lastDay ? second + 1 + Math.floor(rnd() * 20) : 28_800 + Math.floor(rnd() * 600);
    lastDay = p.day;
    out.push({ day: p.day, second, crowded: p.crowded });
  }
  return out;
}

export function buildHistory(options: HistoryOptions = {}): Fixtures {
  const rnd = random(options.seed ?? 1);
  const days = options.days ?? 400;
  const crowded = options.crowdedDays ?? [];
  const crowd = options.crowd ?? 0;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

  const customers: Row[] = [];
  let id = 10_000_000;
  for (const t of timeline(options.customers ?? 0, days, rnd, [], 0)) {
    id += 1 + Math.floor(rnd() * 40);
    customers.push({
      ACCOUNTNUM: id,
      FIRSTNAME: pick(['Zoë', 'José', 'Anna', 'Li', 'Émile', 'O\'Brien']),
      LASTNAME: `Name${id}`,
      COMPANY: pick(['Acme, Inc.', 'Globex "GX"', '', 'Müller & Söhne']),
      COMMENTS: rnd() < 0.1 ? 'line one\nline two' : '',
      CREATEDDATE: isoAt(t.day, t.second),
      LASTMODDATE: isoAt(t.day, t.second),
      'CF02.NAME': rnd() < 0.5 ? `nick${id}` : '',
    });
  }
  const accounts = customers.length > 0 ? customers.map((c) => String(c['ACCOUNTNUM'])) : ['10000001'];

  const cases: Row[] = [];
  let casenum = 0;
  for (const t of timeline(options.cases ?? 0, days, rnd, crowded, crowd)) {
    casenum += 1 + Math.floor(rnd() * 3);
    const r = rnd();
    const createdBy = t.crowded ? 'johnd' : r < 0.08 ? 'oldagent' : r < 0.14 ? '' : pick(AGENTS);
    const assignee = t.crowded ? 'jsmith' : pick([...AGENTS, 'oldagent', '101', '103', '', '']);
    cases.push({
      CASENUM: casenum,
      ACCOUNTNUM: pick(accounts),
      SUBJECT: `Case ${casenum}`,
      DESCRIPTION: 'Printer, "jammed"\nagain',
      STATUS: assignee === '' ? 'Unassigned' : pick(['Open', 'Pending', 'Closed', 'Escalated']),
      PRIORITY: pick(['Low', 'Medium', 'High']),
      ASSIGNEDTO: assignee,
      CREATEDBY: createdBy,
      CREATEDDATE: isoAt(t.day, t.second),
      LASTMODDATE: isoAt(t.day, t.second),
    });
  }

  const tasks: Row[] = [];
  let tasknum = 0;
  for (const t of timeline(options.tasks ?? 0, days, rnd, crowded, crowd)) {
    tasknum += 1 + Math.floor(rnd() * 3);
    const r = rnd();
    const createdBy = t.crowded ? 'johnd' : r < 0.1 ? 'oldagent' : pick(AGENTS);
    const assignee = t.crowded ? 'jsmith' : rnd() < 0.1 ? 'oldagent' : pick([...AGENTS, '102', '']);
    tasks.push({
      TASKNUM: tasknum,
      ACCOUNTNUM: pick(accounts),
      SUBJECT: `Task ${tasknum}`,
      TASK_STATUS: pick(['New', 'Pending', 'Closed']),
      ASSIGNEDTO: assignee,
      CREATEDBY: createdBy,
      CREATEDDATE: isoAt(t.day, t.second),
      LASTMODDATE: isoAt(t.day, t.second),
      DUEDATE: isoAt(t.day + 7, 36_000),
    });
  }

  const followups: Row[] = [];
  const caseRows = cases.length > 0 ? cases : [];
  for (let i = 0, f = 0; i < (options.followups ?? 0) && caseRows.length > 0; i++) {
    f += 1 + Math.floor(rnd() * 2);
    // Follow-ups cluster on a few busy cases, like real ones.
    const c = rnd() < 0.2 ? (caseRows[0] as Row) : pick(caseRows);
    const day = Math.floor((i * days) / (options.followups ?? 1));
    followups.push({ FOLLOWUPID: f, CASENUM: c['CASENUM'] as number, SUBJECT: `Re: ${c['SUBJECT']}`, DESCRIPTION: 'ok', CREATEDBY: 'jsmith', CREATEDDATE: isoAt(day, 30_000 + i) });
  }

  const faqcategories: Row[] = [];
  for (let c = 1; c <= (options.faqCategories ?? 0); c++) faqcategories.push({ FAQCATID: c * 2, FAQCATEGORY: `Category ${c}` });
  const faqs: Row[] = [];
  for (let q = 1; q <= (options.faqs ?? 0) && faqcategories.length > 0; q++) {
    const cat = rnd() < 0.5 ? (faqcategories[0] as Row) : pick(faqcategories);
    faqs.push({ FAQID: q, FAQCATID: cat['FAQCATID'] as number, QUESTION: `Question ${q}?`, ANSWER: `Answer ${q}`, CREATEDDATE: isoAt(Math.floor(q / 3), 40_000) });
  }
  return { customers, cases, followups, tasks, faqcategories, faqs };
}
