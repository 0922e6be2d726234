import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { fieldDef, objectDef, type ObjectDef } from '../protocol/catalogue.js';
import { ApiRejection, TransportError, WapiBulkError } from '../protocol/errors.js';
import { replyId } from '../protocol/reply.js';
import type { WapiClient } from '../client/wapi-client.js';
import type { Mapping, MappedRow } from '../mapping/types.js';
import { fieldsForAction } from '../mapping/fields-for-action.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import { validateRecord } from '../mapping/validate-record.js';
import type { CrmScope } from '../state/crm-scope.js';
import type { StateStore } from '../state/state-store.js';
import type { PlannedAction, RowOutcome, RunJournal } from '../state/run-journal.js';
import { changedTags } from './same-values.js';
import { childrenOf, type GetItems } from './record-children.js';
import type { RecordFinder } from './record-finder.js';
import { describe, failed, type RowReport, type Stage } from './row-result.js';

/** A row whose requests are done; `committed` resolves once its journal entry is written. */
export interface SentRow {
  readonly report: RowReport;
  readonly committed: Promise<void>;
}

/** A row that passed mapping and offline validation, ready for the network steps. */
export interface PreparedRow {
  readonly row: number;
  readonly key: string;
  readonly mapped: MappedRow;
  /** Set on --resume for a row the interrupted run had sent without learning the outcome. */
  readonly inFlight?: PlannedAction | undefined;
}

export interface RowSenderOptions {
  readonly mapping: Mapping;
  readonly client: WapiClient;
  readonly finder: RecordFinder;
  readonly state: StateStore;
  /** The CRM the run writes to: `ref:` takes ids only from its id map. */
  readonly scope: CrmScope;
  /** Undefined in a dry run: nothing is journaled, nothing written. */
  readonly journal: RunJournal | undefined;
  readonly lists: TenantLists | undefined;
  readonly dryRun: boolean;
  /** Stops the run gracefully: rows not yet sent are not sent (requests in flight finish). */
  readonly signal?: AbortSignal | undefined;
  /** Cancels requests in flight (a second Ctrl-C, a fatal error). */
  readonly requestSignal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  /** Consecutive transport failures after which the run stops (the server is gone). */
  readonly maxTransportFailures?: number;
  /**
   * How long to wait, after an ADD timed out, before looking whether it landed: a server still
   * working on it could apply it after a look that came too early (default 5 s).
   */
  readonly landingGraceMs?: number;
}

/** The tag of a rejection "Duplicate value 'v' of 'TAG'", upper case; undefined for other rejections. */
function duplicateTag(rejection: ApiRejection): string | undefined {
  return /^Duplicate value '.*' of '([^']+)'$/s.exec(rejection.errorStr)?.[1]?.toUpperCase();
}

/** Whether a rejection is "Duplicate value 'v' of 'TAG'" for the given tag. */
function isDuplicateOf(rejection: ApiRejection, tag: string): boolean {
  return duplicateTag(rejection) === tag.toUpperCase();
}

/** How many times an ADD that may have landed is checked and sent again. */
const ADD_ATTEMPTS = 3;

/** A row failure raised inside the sender, turned into a RowReport at the top. */
class RowFailure extends Error {
  constructor(
    readonly stage: Stage,
    readonly code: string,
    message: string,
    /** A look-up that failed in transit: nothing was written, so --resume tries the row again. */
    readonly transient = false,
  ) {
    super(message);
  }
}

/** A row not sent because the run is stopping gracefully (not an error: the row is not reported). */
class StoppedBeforeSending extends Error {}

/**
 * `keepOpen`: the outcome is not final, so no "done" journal entry is written: the entry stays
 * pending (the row may have been applied; --resume checks) or was cleared (it surely was not;
 * --resume sends it). The row is still reported in this run's errors.csv.
 */
type SenderReport = RowReport & {
  outcome: RowOutcome;
  keepOpen?: boolean;
  /** A record deleted: id map entries pointing at it are dropped with the row's outcome. */
  forget?: { object: string; id: string } | undefined;
  before?: Readonly<Record<string, string>> | undefined;
  after?: Readonly<Record<string, string>> | undefined;
};

const OBJECT_WORD: Record<string, string> = { ACCOUNTNUM: 'customer', CASENUM: 'case', TASKNUM: 'task' };

type Fields = ReadonlyArray<readonly [string, string]>;
type Found = Readonly<Record<string, string>>;

const asRecord = (fields: Fields): Record<string, string> => Object.fromEntries(fields.map(([t, v]) => [t.toUpperCase(), v]));

/**
 * The network half of a row: resolve references, find the record (modify/upsert, and an add
 * with `match`), send ADD or MODIFY, and hand back the outcome with the commit of its journal
 * entry and id map.
 */
export class RowSender {
  private readonly object: ObjectDef;
  private consecutiveTransportFailures = 0;
  private readonly maxTransportFailures: number;
  /**
   * Dry runs: the match values earlier rows of this run would have added. The server is not
   * changed by a dry run, so a second row of the same value must be predicted from here
   * (found in review: the dry run said "2 added" where the real run added, then modified).
   */
  private readonly wouldAdd = new Map<string, number>();

  constructor(private readonly o: RowSenderOptions) {
    this.object = objectDef(o.mapping.objectName) as ObjectDef;
    this.maxTransportFailures = o.maxTransportFailures ?? 20;
  }

  /**
   * The row's network steps. Resolves as soon as they are done, with the report and the
   * promise of its journal entry: the pool slot is free again at once, so the next row's
   * pending entry is committed in the same transaction as this row's outcome (the journal's
   * group commit), and the stage reports the row only once `committed` has resolved.
   */
  async send(prepared: PreparedRow): Promise<SentRow | undefined> {
    const { row, key } = prepared;
    let report: SenderReport;
    try {
      report = await this.run(prepared);
    } catch (error) {
      if (error instanceof RowFailure) report = { ...failed(row, key, error.stage, error.code, error.message), keepOpen: error.transient };
      // The run is stopping gracefully and this row had not gone out: it is left for --resume
      // (found in review: taken for a fatal error, it cancelled the rows still in flight, and
      // those became "may have been added").
      else if (error instanceof StoppedBeforeSending) return undefined;
      else throw error;
    }
    const { keepOpen, before, after, forget, ...plain } = report;
    let committed: Promise<void> = Promise.resolve();
    if (this.o.journal && !keepOpen) {
      committed = this.o.journal.finishSoon(
        { row, key, outcome: plain.outcome, id: plain.id, stage: plain.stage, code: plain.code, error: plain.error, note: plain.note, before, after },
        (plain.outcome === 'added' || plain.outcome === 'modified' || plain.outcome === 'unchanged') && plain.id && !this.o.dryRun
          ? { mapping: this.o.mapping.name, key, object: this.o.mapping.objectName, id: plain.id }
          : undefined,
        this.o.dryRun ? undefined : forget,
      );
    }
    return { report: plain, committed };
  }

  private async run(p: PreparedRow): Promise<SenderReport> {
    const fields = [...p.mapped.fields];
    if (p.mapped.refs.length > 0) await this.resolveRefs(p, fields);
    const action = this.o.mapping.action;
    if (action === 'add') return this.add(p, fields);
    if (action === 'delete') return this.deleteRow(p, fields);
    let id = p.mapped.id;
    let record: Found | undefined;
    if (id === undefined) {
      const found = await this.findExisting(fields);
      const predicted = this.predictedAdd(fields);
      if (found.length === 0 && predicted !== undefined) return { row: p.row, key: p.key, outcome: 'modified', id: '', note: `dry run: row ${predicted} adds this record first` };
      if (found.length === 0) {
        if (action === 'modify') {
          const [tag, value] = this.matchValue(fields);
          throw new RowFailure('match', 'NOT_FOUND', `no ${this.word()} has ${tag}=${JSON.stringify(value)}: nothing to modify (use action: upsert to add it)`);
        }
        const problems = validateRecord(this.object.name, 'ADD', fields, this.o.lists);
        if (problems.length > 0) throw new RowFailure('validate', 'ROW_INVALID', problems.map((x) => x.message).join('; '));
        return this.add(p, fields, true);
      }
      record = found[0] as Found;
      id = record[this.object.idTag];
      if (!id) throw new RowFailure('match', 'WAPI_BAD_REPLY', `the ${this.word()} found has no ${this.object.idTag}`);
    } else {
      // Modify by id: the record is read first, for its before-image (undo) and to tell
      // "unchanged" from "modified".
      const found = await this.guard(() => this.o.finder.find(this.object.name, this.object.idTag, id as string), 'match');
      if (found.length === 0) throw new RowFailure('match', 'NOT_FOUND', `no ${this.word()} has ${this.object.idTag} ${id}: nothing to modify`);
      record = found[0] as Found;
    }
    return this.modify(p, fields, id, record);
  }

  private word(): string {
    return this.o.mapping.object === 'followup' ? 'follow-up' : this.o.mapping.object;
  }

  private async resolveRefs(p: PreparedRow, fields: Array<[string, string]>): Promise<void> {
    for (const { tag, ref, value } of p.mapped.refs) {
      if (value === '') {
        const mandatory = fieldDef(this.object, tag)?.actions.ADD === 'M' && this.o.mapping.action !== 'modify';
        if (mandatory) throw new RowFailure('reference', 'REFERENCE_MISSING', `${tag}: the reference is empty, and ${tag} is mandatory`);
        continue;
      }
      if (ref.kind === 'mapping') {
        const hit = this.o.state.getId(this.o.scope, ref.mapping, value);
        if (!hit) {
          const what = OBJECT_WORD[tag.toUpperCase()] ?? ref.mapping;
          const elsewhere = this.o.state.otherScopes(this.o.scope, ref.mapping);
          const where = elsewhere.length > 0 ? ` into tenant ${this.o.scope.tenant} at ${this.o.scope.endpoint} (the state file has ids of "${ref.mapping}" for ${elsewhere.map((s) => `tenant ${s.tenant} at ${s.endpoint}`).join(', ')} only)` : '';
          throw new RowFailure(
            'reference',
            'REFERENCE_MISSING',
            `${what} legacy id ${value} was not imported${where} (no id for it from mapping "${ref.mapping}": import that file first, or fix the id)`,
          );
        }
        fields.push([tag, hit.id]);
        continue;
      }
      const found = await this.guard(() => this.o.finder.lookup(ref.object, ref.by, value), 'reference');
      const idTag = objectDef(ref.object)?.idTag ?? 'ID';
      const word = ref.object.toLowerCase();
      if (found.length === 0) throw new RowFailure('reference', 'REFERENCE_MISSING', `no ${word} has ${ref.by}=${JSON.stringify(value)}`);
      if (found.length > 1) {
        throw new RowFailure('reference', 'AMBIGUOUS_MATCH', `ambiguous reference: ${found.length} ${word} records have ${ref.by}=${JSON.stringify(value)}`);
      }
      fields.push([tag, (found[0] as Found)[idTag] ?? '']);
    }
  }

  private matchValue(fields: Fields): [string, string] {
    const match = this.o.mapping.match as string;
    const upper = match.toUpperCase();
    const hit = fields.find(([tag]) => tag.toUpperCase() === upper);
    if (!hit || hit[1] === '') {
      throw new RowFailure('match', 'ROW_INVALID', `${match} is empty: ${this.o.mapping.action} needs it to find the record`);
    }
    return [match, hit[1]];
  }

  private async findExisting(fields: Fields): Promise<readonly Found[]> {
    const [tag, value] = this.matchValue(fields);
    const found = await this.guard(() => this.o.finder.find(this.object.name, tag, value), 'match');
    if (found.length > 1) {
      throw new RowFailure('match', 'AMBIGUOUS_MATCH', `ambiguous match: ${found.length} records have ${tag}=${value}`);
    }
    return found;
  }

  /** Dry runs: the row of this run that would have added a record with this match value. */
  private predictedAdd(fields: Fields): number | undefined {
    if (!this.o.dryRun || this.o.mapping.match === undefined) return undefined;
    const hit = fields.find(([tag]) => tag.toUpperCase() === (this.o.mapping.match as string).toUpperCase());
    return hit ? this.wouldAdd.get(hit[1]) : undefined;
  }

  private rememberAdd(row: number, fields: Fields): void {
    if (!this.o.dryRun || this.o.mapping.match === undefined) return;
    const hit = fields.find(([tag]) => tag.toUpperCase() === (this.o.mapping.match as string).toUpperCase());
    if (hit && !this.wouldAdd.has(hit[1])) this.wouldAdd.set(hit[1], row);
  }

  /**
   * What a dry run predicts the server refuses in an ADD: a customer EMAIL another customer has
   * (EMAIL is unique, case-insensitively). The real run lets the server say so.
   */
  private async predictDuplicate(p: PreparedRow, fields: Fields): Promise<SenderReport | undefined> {
    if (!this.o.dryRun || this.object.name !== 'CUSTOMER' || this.o.mapping.match?.toUpperCase() === 'EMAIL') return undefined;
    const email = fields.find(([tag]) => tag.toUpperCase() === 'EMAIL')?.[1];
    if (!email) return undefined;
    const found = await this.guard(() => this.o.finder.find('CUSTOMER', 'EMAIL', email), 'match');
    const holder = found[0]?.['ACCOUNTNUM'];
    if (holder === undefined) return undefined;
    return failed(p.row, p.key, 'send', 'WAPI_REJECTED', `Duplicate value '${email}' of 'EMAIL' (predicted by the dry run: customer ${holder} has this address)`);
  }

  private async add(p: PreparedRow, all: Fields, fromUpsert = false): Promise<SenderReport> {
    const { row, key } = p;
    const fields = fieldsForAction(this.o.mapping, 'ADD', all);
    const hasMatch = this.o.mapping.match !== undefined;
    const after = asRecord(fields);
    if (p.inFlight === 'add') {
      // The interrupted run sent this ADD and never heard back.
      if (!hasMatch) {
        return failed(row, key, 'resume', 'WAPI_ABORTED', 'the run was interrupted while this row was being added: it may have been added before the interruption; check the CRM before importing it again (give the mapping a match: field so wapi-bulk can check by itself)');
      }
      const found = await this.findExisting(fields);
      if (found.length === 1) return { row, key, outcome: 'added', id: (found[0] as Found)[this.object.idTag] ?? '', after };
    } else if (hasMatch && !fromUpsert) {
      // An add with a match adds only what is not there: the same check in a dry run and a real
      // run, so a dry run that passes means the real run passes (found in review: a dry run of
      // cases already imported said "28 added"; the real run failed all 28 as duplicates).
      const predicted = this.predictedAdd(fields);
      const found = predicted === undefined ? await this.findExisting(fields) : [];
      if (predicted !== undefined || found.length > 0) {
        const [tag, value] = this.matchValue(fields);
        const which = predicted !== undefined ? `row ${predicted} of this file adds it first` : `${this.object.idTag} ${(found[0] as Found)[this.object.idTag] ?? '?'}`;
        throw new RowFailure(
          'match',
          'ALREADY_EXISTS',
          `a ${this.word()} with ${tag}=${JSON.stringify(value)} already exists (${which}): an add never adds a second one (use action: upsert to update it, or remove the row)`,
        );
      }
    }
    if (this.o.dryRun) {
      const duplicate = await this.predictDuplicate(p, fields);
      if (duplicate) return duplicate;
      this.rememberAdd(row, fields);
      return { row, key, outcome: 'added', id: '' };
    }
    for (let attempt = 1; ; attempt++) {
      await this.o.journal?.pendingSoon(row, key, 'add');
      this.stopIfCancelled(row);
      try {
        const reply = await this.o.client.send({ object: this.object.name, action: 'ADD', tags: fields }, { idempotent: false, signal: this.o.requestSignal });
        this.consecutiveTransportFailures = 0;
        if (reply.status !== '0') {
          const rejection = new ApiRejection(reply.status, reply.errorCode, reply.errorStr);
          // A resend refused as a duplicate: the first ADD may have landed late. Not only of the
          // match value: the server checks a customer's EMAIL before its custom fields (found in
          // testing: such a row was reported failed while its record was in the CRM). The record
          // holding the row's match value, which the look-up before the resend did not find,
          // says whether it was this row's ADD.
          if (attempt > 1 && hasMatch && duplicateTag(rejection) !== undefined) {
            const found = await this.findExisting(fields);
            if (found.length === 1) return { row, key, outcome: 'added', id: (found[0] as Found)[this.object.idTag] ?? '', after };
          }
          return this.rejected(p, rejection, fields);
        }
        const id = replyId(reply, this.object.idTag);
        if (id === undefined) {
          // Found in review: counted as added with an empty id, so nothing could refer to it.
          return failed(row, key, 'send', 'WAPI_BAD_REPLY', `the server accepted the ADD but sent no ${this.object.idTag} back: the record was probably added, but wapi-bulk cannot know its id (find it in the CRM before importing the row again)`);
        }
        return { row, key, outcome: 'added', id, after };
      } catch (error) {
        const failure = this.transportFailure(error);
        if (!failure.ambiguous) {
          // Never reached the server: a --resume sends it again.
          this.o.journal?.clear(row);
          return { ...failed(row, key, 'send', failure.code, describe(failure)), keepOpen: true };
        }
        if (!hasMatch) {
          return failed(row, key, 'send', failure.code, `${failure.message}: the server may have added this row before the connection failed; check the CRM before importing it again (give the mapping a match: field so wapi-bulk can check by itself)`);
        }
        // The ADD may have landed: look before sending it again, so no row is added twice. After
        // a timeout the server may still be applying it: give it time before looking.
        if (failure.code === 'WAPI_TIMEOUT' || failure.code === 'WAPI_REQUEST_DEADLINE') await sleep(this.o.landingGraceMs ?? 5_000, undefined, { signal: this.o.requestSignal }).catch(() => this.aborted(row));
        let found;
        try {
          found = await this.findExisting(fields);
        } catch (lookError) {
          if (!(lookError instanceof RowFailure)) throw lookError;
          // Still unknown: the pending entry stays, and --resume looks again.
          return { ...failed(row, key, 'send', failure.code, `${failure.message}: the server may have added this row, and the check failed (${lookError.message}); run again with --resume to check`), keepOpen: true };
        }
        if (found.length === 1) return { row, key, outcome: 'added', id: (found[0] as Found)[this.object.idTag] ?? '', after };
        if (attempt >= ADD_ATTEMPTS) {
          this.o.journal?.clear(row);
          return { ...failed(row, key, 'send', failure.code, `${describe(failure)} (not added after ${attempt} attempts)`), keepOpen: true };
        }
      }
    }
  }

  /** The record a delete row names (by id or match), or undefined when there is none. */
  private async findToDelete(p: PreparedRow, fields: Fields): Promise<Found | undefined> {
    if (p.mapped.id !== undefined) {
      const found = await this.guard(() => this.o.finder.find(this.object.name, this.object.idTag, p.mapped.id as string), 'match');
      return found[0];
    }
    return (await this.findExisting(fields))[0];
  }

  /** `action: delete`: the record deleted, a customer with cases or tasks only with `cascade: true`. */
  private async deleteRow(p: PreparedRow, fields: Fields): Promise<SenderReport> {
    const { row, key } = p;
    const record = await this.findToDelete(p, fields);
    if (record === undefined) {
      // The interrupted run sent this DELETE and never heard back: it landed. A row found by
      // match has no id of its own: the record the run journaled before sending has it. Id map
      // entries naming it go, as after any delete (found in testing: reported with no id, and
      // the id map kept the dead id for references to resolve to).
      if (p.inFlight === 'delete') {
        const id = p.mapped.id ?? this.o.journal?.get(row)?.before?.[this.object.idTag] ?? '';
        return { row, key, outcome: 'deleted', id, note: 'deleted before the interruption', forget: id ? { object: this.object.name, id } : undefined };
      }
      const what = p.mapped.id !== undefined ? `${this.object.idTag} ${p.mapped.id}` : this.matchValue(fields).join('=');
      throw new RowFailure('match', 'NOT_FOUND', `no ${this.word()} has ${what}: nothing to delete`);
    }
    const id = record[this.object.idTag] ?? '';
    const get: GetItems = (object, tags) => this.guard(() => this.o.client.call({ object, action: 'GET', tags }, { signal: this.o.requestSignal }).then((r) => r.items), 'match');
    const children = await childrenOf(get, this.object.name, id);
    const list = children.join(' and ');
    if (children.length > 0 && this.object.name === 'CUSTOMER' && !this.o.mapping.cascade) {
      throw new RowFailure(
        'send',
        'HAS_CHILDREN',
        `customer ${id} has ${list}: deleting it would delete them too (delete them first, or add cascade: true to the mapping)`,
      );
    }
    const note = children.length > 0 ? `the API deleted ${list} with it${this.object.name === 'CUSTOMER' ? ' (and the cases\' follow-ups)' : ''}` : undefined;
    if (this.o.dryRun) return { row, key, outcome: 'deleted', id, note: note ? `would be deleted; ${note.replace('deleted', 'would delete')}` : undefined };
    // The whole record as it was: the journal keeps what a delete took away.
    const before = Object.fromEntries(Object.entries(record));
    await this.o.journal?.pendingSoon(row, key, 'delete', before);
    this.stopIfCancelled(row);
    try {
      const reply = await this.o.client.send({ object: this.object.name, action: 'DELETE', tags: [[this.object.idTag, id]] }, { signal: this.o.requestSignal });
      this.consecutiveTransportFailures = 0;
      if (reply.status !== '0') return this.rejected(p, new ApiRejection(reply.status, reply.errorCode, reply.errorStr), fields);
      return { row, key, outcome: 'deleted', id, note, before, forget: { object: this.object.name, id } };
    } catch (error) {
      const failure = this.transportFailure(error);
      if (!failure.ambiguous) this.o.journal?.clear(row);
      // A DELETE that may have landed stays pending: --resume looks whether the record is still there.
      return { ...failed(row, key, 'send', failure.code, describe(failure)), keepOpen: true };
    }
  }

  private async modify(p: PreparedRow, all: Fields, id: string, record: Found): Promise<SenderReport> {
    const { row, key } = p;
    // The API cannot move a case or a task to another customer (MODIFY takes no ACCOUNTNUM):
    // found in review, such a row was reported "unchanged". It is the row's error.
    const parentTag = this.object.parentTag;
    if (parentTag !== undefined && this.object.name !== 'FOLLOWUP') {
      const wanted = all.find(([tag]) => tag.toUpperCase() === parentTag)?.[1];
      const current = record[parentTag];
      if (wanted !== undefined && wanted !== '' && current !== undefined && current !== '' && wanted !== current) {
        throw new RowFailure(
          'match',
          'PARENT_CHANGE',
          `${parentTag}: the ${this.word()} ${id} belongs to ${OBJECT_WORD[parentTag] ?? 'record'} ${current} and the row says ${wanted}; the API cannot move a ${this.word()} to another ${OBJECT_WORD[parentTag] ?? 'parent'} (fix the row, or delete the ${this.word()} and add it again)`,
        );
      }
    }
    const fields = fieldsForAction(this.o.mapping, 'MODIFY', all).filter(([tag]) => tag.toUpperCase() !== this.object.idTag);
    const changed = changedTags(fields, record, (tag) => fieldDef(this.object, tag));
    if (changed.length === 0) {
      // What the interrupted run sent (an upsert's ADD, a MODIFY) may be why nothing differs
      // now: report what that run did.
      const outcome = p.inFlight === 'add' ? 'added' : p.inFlight === 'modify' ? 'modified' : 'unchanged';
      return { row, key, outcome, id };
    }
    if (this.o.dryRun) return { row, key, outcome: 'modified', id };
    // The values this MODIFY replaces, kept with the journal entry so that undo can restore them.
    const changedSet = new Set(changed.map((t) => t.toUpperCase()));
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    for (const [tag, value] of fields) {
      const upper = tag.toUpperCase();
      if (!changedSet.has(upper)) continue;
      before[upper] = record[upper] ?? '';
      after[upper] = value;
    }
    await this.o.journal?.pendingSoon(row, key, 'modify', before);
    this.stopIfCancelled(row);
    try {
      const reply = await this.o.client.send(
        { object: this.object.name, action: 'MODIFY', tags: [[this.object.idTag, id], ...fields] },
        { signal: this.o.requestSignal },
      );
      this.consecutiveTransportFailures = 0;
      if (reply.status !== '0') return this.rejected(p, new ApiRejection(reply.status, reply.errorCode, reply.errorStr), fields);
      return { row, key, outcome: 'modified', id: replyId(reply, this.object.idTag) ?? id, before, after };
    } catch (error) {
      const failure = this.transportFailure(error);
      // MODIFY is idempotent: --resume sends it again. One that may have been applied stays
      // pending with its before-image, so that --resume, finding its values there, reports it
      // modified and undo can take it back (found in testing: cleared, it was "unchanged" on
      // --resume, and undo left the import's values in the CRM).
      if (!failure.ambiguous) this.o.journal?.clear(row);
      return { ...failed(row, key, 'send', failure.code, describe(failure)), keepOpen: true };
    }
  }

  private rejected(p: PreparedRow, rejection: ApiRejection, fields: Fields): SenderReport {
    // Login and rights are the run's configuration, not the row's: stop rather than fail every row.
    if (rejection.code === 'WAPI_AUTH' || rejection.code === 'WAPI_PERMISSION') {
      this.o.journal?.clear(p.row);
      throw rejection;
    }
    let message = rejection.errorStr || rejection.message;
    if (this.object.name === 'CUSTOMER' && isDuplicateOf(rejection, 'EMAIL') && this.o.mapping.match?.toUpperCase() === 'EMAIL') {
      // EMAIL is searched case-sensitively but unique regardless of case: the look-up found
      // nothing, and the ADD hit an address held in another letter case.
      const email = fields.find(([tag]) => tag.toUpperCase() === 'EMAIL')?.[1] ?? '';
      message += ` (a customer holds ${email} in another letter case: EMAIL searches are case-sensitive but its uniqueness is not; add transform: [lower] if the CRM's addresses are lower case, or match on a legacy-id field)`;
    }
    return failed(p.row, p.key, 'send', rejection.code, message);
  }

  /** A GET failing for the row: a rejection is the row's problem; transport faults count towards stopping. */
  private async guard<T>(fn: () => Promise<T>, stage: Stage): Promise<T> {
    try {
      const result = await fn();
      this.consecutiveTransportFailures = 0;
      return result;
    } catch (error) {
      if (error instanceof ApiRejection) {
        if (error.code === 'WAPI_AUTH' || error.code === 'WAPI_PERMISSION') throw error;
        throw new RowFailure(stage, error.code, error.errorStr || error.message);
      }
      const failure = this.transportFailure(error);
      throw new RowFailure(stage, failure.code, describe(failure), true);
    }
  }

  /**
   * A row whose pending entry was written after the run was told to stop is not sent: the entry
   * is withdrawn, so --resume sends the row rather than reporting it as "may have been added"
   * (found in review: after Ctrl-C, rows that never left were reported so).
   */
  private stopIfCancelled(row: number): void {
    if (!this.o.signal?.aborted && !this.o.requestSignal?.aborted) return;
    this.aborted(row);
  }

  private aborted(row: number): never {
    this.o.journal?.clear(row);
    if (!this.o.requestSignal?.aborted) throw new StoppedBeforeSending();
    throw new WapiBulkError('WAPI_ABORTED', 'the request was cancelled');
  }

  /** Classify a thrown send error: rethrow what stops the run, return a transport fault. */
  private transportFailure(error: unknown): WapiBulkError {
    // Cancelled (a second Ctrl-C, a fatal error elsewhere): not the row's failure. Whatever undici
    // made of the abort reason, the row's pending entry stays for --resume to settle.
    if (this.o.requestSignal?.aborted) throw error;
    if (!(error instanceof WapiBulkError) || error.code === 'WAPI_ABORTED') throw error;
    if (!(error instanceof TransportError)) throw error;
    this.consecutiveTransportFailures++;
    if (this.consecutiveTransportFailures >= this.maxTransportFailures) {
      throw new TransportError(error.code, `${error.message}; ${this.consecutiveTransportFailures} commands in a row failed after their retries, so the run stopped`, {
        cause: error,
        hint: 'check the server, then run the same command with --resume',
      });
    }
    this.o.logger?.warn({ code: error.code }, error.message);
    return error;
  }
}
