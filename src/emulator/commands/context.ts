import type { ReplyItem, ReplyParts } from '../reply-builder.js';
import type { ReplyStyle } from '../options.js';
import type { Store } from '../store.js';
import type { Tenant, TenantUser } from '../tenant.js';

export interface CommandContext {
  readonly store: Store;
  readonly tenant: Tenant;
  readonly user: TenantUser;
  readonly now: () => Date;
  /** The server clock's IANA zone: timestamps are stored and written on its wall clock. */
  readonly timeZone: string;
  readonly maxItems: number;
  /** How GET replies lay out their ITEMs. */
  readonly replyStyle: ReplyStyle;
}

/**
 * A command's reply. A long GET gives its first ITEMs in `items` and the rest in `more`, page
 * by page, read from the store only as the server writes them out.
 */
export interface CommandReply extends ReplyParts {
  readonly more?: Generator<ReplyItem[], void, void>;
}

export type Tags = ReadonlyArray<readonly [string, string]>;
export type Handler = (ctx: CommandContext, tags: Tags) => CommandReply;

export function ok(parts: Omit<CommandReply, 'status' | 'errorCode' | 'errorStr'> = {}): CommandReply {
  return { status: '0', errorCode: '0', errorStr: '', ...parts };
}
