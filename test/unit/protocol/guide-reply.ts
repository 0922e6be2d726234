import type { RangeSummary } from '../../../src/protocol/reply.js';

/** A reply quoted in the vendor guide, with what parseReply must make of it. */
export interface GuideReply {
  readonly name: string;
  /** What was changed from the guide's text, beyond the noise listed in the file's header. */
  readonly repairs: readonly string[];
  /** The reply as the server sends it; only Latin-1 characters (the body is ISO-8859-1). */
  readonly xml: string;
  readonly status: string;
  readonly errorCode: string;
  /** "" unless given. */
  readonly errorStr?: string;
  /** [] unless given. */
  readonly items?: ReadonlyArray<Record<string, string>>;
  /** {} unless given: tags directly under REPLY. */
  readonly values?: Record<string, string>;
  /** [idTag, id] that replyId must find. */
  readonly id?: readonly [string, string];
  readonly summary?: RangeSummary;
}
