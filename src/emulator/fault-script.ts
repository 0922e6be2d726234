import { readDataFile } from './data-file.js';
import { z } from 'zod';
import { ConfigError } from '../protocol/errors.js';

/**
 * Faults scripted by position: "fail the 3rd CUSTOMER ADD after it is applied". Tests of a
 * client's recovery branches need exactly one request to fail, which the random faults
 * (faults.ts) cannot promise.
 */

const FAULT_KINDS = ['http500', 'http502', 'http503', 'reset', 'timeout', 'login', 'permission'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const Position = z.number().int().positive();

const Entry = z
  .object({
    /** The object (CUSTOMER, CASE, GROUPS ...), in any case; left out: any object. */
    object: z.string().min(1).optional(),
    /** The action (ADD, GET, LIST ...), in any case; left out: any action. */
    action: z.string().min(1).optional(),
    /** Which matching request, 1-based across the run: one position or a list. */
    nth: z.union([Position, z.array(Position).min(1)]),
    /** From each position, this many requests in a row (default 1). */
    times: Position.default(1),
    /** before: the command is not run; after: it is applied, then the reply fails. */
    when: z.enum(['before', 'after']).default('before'),
    fault: z.enum(FAULT_KINDS),
    /** timeout: answer after this long; left out, never answer (until the client gives up). */
    delayMs: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((e) => e.delayMs === undefined || e.fault === 'timeout', { message: 'delayMs goes with fault: timeout only', path: ['delayMs'] });

export type FaultScriptEntry = z.input<typeof Entry>;
const Script = z.array(Entry);

/** A fault that fired: which entry, on which request. */
export interface FiredFault {
  /** Index of the entry in the script. */
  readonly entry: number;
  readonly object: string;
  readonly action: string;
  /** The request's position among those the entry counts. */
  readonly nth: number;
  readonly when: 'before' | 'after';
  readonly fault: FaultKind;
  readonly delayMs?: number;
}

function parseFaultScript(raw: unknown, source = 'fault script'): ReadonlyArray<z.output<typeof Entry>> {
  const parsed = Script.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${source}: ${problems}`, 'a list of { object, action, nth, when: before|after, fault: http500|http502|http503|reset|timeout|login|permission }');
  }
  return parsed.data;
}

function readFaultScript(file: string): ReadonlyArray<z.output<typeof Entry>> {
  return parseFaultScript(readDataFile(file, 'the fault script', '--fault-script'), file);
}

interface Compiled {
  readonly index: number;
  readonly object?: string;
  readonly action?: string;
  readonly positions: ReadonlySet<number>;
  readonly when: 'before' | 'after';
  readonly fault: FaultKind;
  readonly delayMs?: number;
  count: number;
}

/** The faults a request meets: at most one before its command and one after. */
export interface ScriptedFaults {
  readonly before?: FiredFault;
  readonly after?: FiredFault;
}

/** Counts the requests each entry matches and says which faults fire; keeps a log of them. */
export class FaultScript {
  private readonly entries: Compiled[];
  private readonly fired: FiredFault[] = [];

  constructor(script: string | ReadonlyArray<FaultScriptEntry> = []) {
    const entries = typeof script === 'string' ? readFaultScript(script) : parseFaultScript(script);
    this.entries = entries.map((e, index) => {
      const positions = new Set<number>();
      for (const nth of Array.isArray(e.nth) ? e.nth : [e.nth]) for (let k = 0; k < e.times; k++) positions.add(nth + k);
      return {
        index,
        object: e.object?.toUpperCase(),
        action: e.action?.toUpperCase(),
        positions,
        when: e.when,
        fault: e.fault,
        delayMs: e.delayMs,
        count: 0,
      };
    });
  }

  get active(): boolean {
    return this.entries.length > 0;
  }

  /**
   * Count one request that names an object and an action, and return the faults it meets.
   * Each entry counts the requests it matches, so with both object and action given the count
   * is per object and action; the first entry (in script order) that fires for a moment wins.
   */
  next(object: string, action: string): ScriptedFaults {
    const upperObject = object.toUpperCase();
    const upperAction = action.toUpperCase();
    let before: FiredFault | undefined;
    let after: FiredFault | undefined;
    for (const e of this.entries) {
      if ((e.object !== undefined && e.object !== upperObject) || (e.action !== undefined && e.action !== upperAction)) continue;
      e.count++;
      if (!e.positions.has(e.count)) continue;
      if ((e.when === 'before' ? before : after) !== undefined) continue;
      const fired: FiredFault = {
        entry: e.index,
        object: upperObject,
        action: upperAction,
        nth: e.count,
        when: e.when,
        fault: e.fault,
        ...(e.delayMs !== undefined ? { delayMs: e.delayMs } : {}),
      };
      if (e.when === 'before') before = fired;
      else after = fired;
    }
    // A fault before the command that ends the request leaves nothing to fail after it.
    if (before !== undefined && !(before.fault === 'timeout' && before.delayMs !== undefined)) after = undefined;
    if (before) this.fired.push(before);
    if (after) this.fired.push(after);
    return { before, after };
  }

  /** Every fault fired so far, in order. */
  log(): readonly FiredFault[] {
    return [...this.fired];
  }
}
