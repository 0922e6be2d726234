import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { CATALOGUE, fieldDef, OBJECTS, type ObjectName } from '../protocol/catalogue.js';
import type { ReplyParts } from './reply-builder.js';
import { parseRequestXml, RequestSyntaxError, type ParsedRequest, type RequestShape } from './request-parser.js';
import { ApiError, E } from './api-error.js';
import { customFieldDef } from './check-tags.js';
import { caseHandlers } from './commands/case.js';
import type { CommandContext, CommandReply, Handler } from './commands/context.js';
import { customerHandlers } from './commands/customer.js';
import { faqCategoryHandlers, faqHandlers } from './commands/faq.js';
import { followupHandlers } from './commands/followup.js';
import { getCustomField, listHandlers } from './commands/lists.js';
import { getRecords, summary } from './commands/records.js';
import { taskHandlers } from './commands/task.js';
import type { ReplyStyle } from './options.js';
import { decodeRequest } from './request-encoding.js';
import type { Store } from './store.js';
import { keyDigest, type Area, type Tenant, type TenantUser } from './tenant.js';

const ACTIONS = new Set(['ADD', 'MODIFY', 'GET', 'DELETE', 'LIST']);

const WRITE_HANDLERS: Record<ObjectName, Partial<Record<string, Handler>>> = {
  CUSTOMER: customerHandlers,
  CASE: caseHandlers,
  FOLLOWUP: followupHandlers,
  TASK: taskHandlers,
  FAQ: faqHandlers,
  FAQCATEGORY: faqCategoryHandlers,
};

const AREA: Record<ObjectName, Area> = {
  CUSTOMER: 'customers',
  CASE: 'cases',
  FOLLOWUP: 'followups',
  TASK: 'tasks',
  FAQ: 'faq',
  FAQCATEGORY: 'faq',
};

/** GET for the record objects, with the empty-GET summary where the guide documents one. */
function getHandler(name: ObjectName): Handler {
  return (ctx, tags) => {
    if (tags.length === 0 && (name === 'CUSTOMER' || name === 'CASE' || name === 'TASK')) return summary(ctx, name);
    // "The Case Number is a mandatory field to fetch follow-up data." A tag that is no GET tag
    // at all is the more telling error, so it is reported first.
    if (name === 'FOLLOWUP' && !tags.some(([t]) => t === 'CASENUM')) {
      for (const [tag] of tags) {
        if (fieldDef(CATALOGUE.FOLLOWUP, tag)?.actions.GET === undefined && !customFieldDef(ctx.tenant, CATALOGUE.FOLLOWUP, tag)) {
          throw E.invalidTag(tag, 'GET', name);
        }
      }
      throw E.inputTagNotPassed('CASENUM');
    }
    return getRecords(ctx, name, tags);
  };
}

export interface DispatchOptions {
  readonly store: Store;
  readonly tenant: Tenant;
  readonly maxItems: number;
  readonly now: () => Date;
  /** The server clock's IANA zone. */
  readonly timeZone: string;
  readonly logger?: Logger;
}

/** The store stayed locked past its busy timeout (another server writing the same file): HTTP 503. */
export class ServerBusyError extends Error {
  constructor() {
    super('the database is busy');
    this.name = 'ServerBusyError';
  }
}

function errorParts(error: ApiError): ReplyParts {
  return { status: String(error.status), errorCode: String(error.errorCode), errorStr: error.message };
}

function syntaxError(error: RequestSyntaxError): ApiError {
  if (error.kind === 'structure') return E.notXmlAfter(error.message.replace(/^Error after '(.*)'$/, '$1'));
  if (error.kind === 'duplicate') return E.duplicateTag(error.message);
  // "XML string not correct. Error at line 'n': '...'" where we can say where; else the plain one.
  if (error.message.startsWith('XML string not correct')) return E.xmlIncorrect(error.message);
  return E.notXml();
}

/**
 * Read a request from the bytes of its XML: decode them as declared, parse, check the shape.
 * Throws the guide's error (an ApiError) for anything unreadable.
 */
export function readRequest(bytes: Buffer | undefined, shape: RequestShape, charset?: string): ParsedRequest {
  if (bytes === undefined || bytes.length === 0) throw E.notXml();
  const xml = decodeRequest(bytes, charset);
  if (xml.trim() === '') throw E.notXml();
  try {
    return parseRequestXml(xml, undefined, shape);
  } catch (error) {
    if (error instanceof RequestSyntaxError) throw syntaxError(error);
    throw error;
  }
}

const NO_USER_DIGEST = keyDigest('');

/** The user the form endpoint's TENANT, USERNAME and PASSWORD name, or the login error. */
function loginUser(request: ParsedRequest, tenant: Tenant): TenantUser {
  const user = tenant.users.find((u) => u.username === request.username);
  // The password is compared exactly as sent, never trimmed, in constant time.
  const sent = keyDigest(request.password ?? '');
  const passwordOk = timingSafeEqual(sent, user?.passwordDigest ?? NO_USER_DIGEST) && user !== undefined && request.password !== undefined;
  if (request.tenant !== tenant.name || !user || !passwordOk) throw E.login();
  return user;
}

export interface RunAs {
  /** Who the request acts as: the gateway's key user, or undefined to log in with the envelope. */
  readonly user?: TenantUser;
  readonly replyStyle: ReplyStyle;
}

/**
 * One request from its parsed XML to its reply: log in, check object, action and rights, run
 * the command in a transaction. Every failure is an error reply; nothing here throws but
 * ServerBusyError.
 */
export function runRequest(request: ParsedRequest, options: DispatchOptions, as: RunAs): CommandReply {
  try {
    const { tenant } = options;
    const user = as.user ?? loginUser(request, tenant);
    if (!request.hasCommand || request.object === undefined || request.object === '') throw E.objectNotPassed();
    const object = request.object.toUpperCase();
    if (!/^[A-Z_]+$/.test(object)) throw E.objectNameInvalid(request.object);
    if (request.action === undefined || request.action === '') throw E.actionNotPassed();
    const action = request.action.toUpperCase();
    if (!ACTIONS.has(action)) throw E.actionInvalid();
    const ctx: CommandContext = {
      store: options.store,
      tenant,
      user,
      now: options.now,
      timeZone: options.timeZone,
      maxItems: options.maxItems,
      replyStyle: as.replyStyle,
    };
    let handler: Handler | undefined;
    if (action === 'LIST') {
      handler = listHandlers[object];
      if (!handler) {
        if (object in CATALOGUE || object === 'CUSTOMFIELD') throw E.actionNotForObject(request.action, request.object);
        throw E.objectInvalid(request.object);
      }
    } else if (object === 'CUSTOMFIELD') {
      if (action !== 'GET') throw E.actionNotForObject(request.action, request.object);
      handler = getCustomField;
    } else if ((OBJECTS as readonly string[]).includes(object)) {
      const name = object as ObjectName;
      handler = WRITE_HANDLERS[name][action] ?? (action === 'GET' ? getHandler(name) : undefined);
      if (!handler) throw E.actionNotForObject(request.action, request.object);
      if (!user.can(AREA[name], action.toLowerCase() as 'add')) throw E.permission();
    } else if (Object.hasOwn(listHandlers, object)) {
      throw E.actionNotForObject(request.action, request.object);
    } else {
      throw E.objectInvalid(request.object);
    }
    const chosen = handler;
    // Reads need no transaction; a write happens whole or not at all.
    if (action === 'GET' || action === 'LIST') return chosen(ctx, request.tags);
    return options.store.transaction(() => chosen(ctx, request.tags));
  } catch (error) {
    if (error instanceof ApiError) return errorParts(error);
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new ServerBusyError();
    options.logger?.error({ err: error }, 'internal error');
    return errorParts(E.internal());
  }
}

/** An ApiError as the reply parts that carry it. */
export function errorReply(error: ApiError): ReplyParts {
  return errorParts(error);
}
