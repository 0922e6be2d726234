import type { ReplyParts } from '../../protocol/reply-builder.js';
import type { Store } from '../store.js';
import type { Tenant, TenantUser } from '../tenant.js';

export interface CommandContext {
  readonly store: Store;
  readonly tenant: Tenant;
  readonly user: TenantUser;
  readonly now: () => Date;
  readonly maxItems: number;
}

export type Tags = ReadonlyArray<readonly [string, string]>;
export type Handler = (ctx: CommandContext, tags: Tags) => ReplyParts;

export function ok(parts: Omit<ReplyParts, 'status' | 'errorCode' | 'errorStr'> = {}): ReplyParts {
  return { status: '0', errorCode: '0', errorStr: '', ...parts };
}
