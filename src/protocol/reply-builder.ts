import { escapeLatin1 } from './escape.js';

export interface ReplyParts {
  readonly status: string;
  readonly errorCode: string;
  readonly errorStr: string;
  /** ITEM records, each an ordered list of [tag, value]. */
  readonly items?: ReadonlyArray<ReadonlyArray<readonly [string, string]>>;
  /** Tags directly under REPLY (an ADD's id). */
  readonly values?: ReadonlyArray<readonly [string, string]>;
}

const HEAD = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<WAPI>';

// Most values need no escaping at all: test once, escape only those that do.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\r\u0100-\uFFFF]/;

function tag(name: string, value: string): string {
  if (value === '') return `<${name}/>`;
  return `<${name}>${NEEDS_ESCAPE.test(value) ? escapeLatin1(value) : value}</${name}>`;
}

/**
 * Write a reply as the server sends it: ISO-8859-1, characters outside Latin-1 as numeric
 * character references, an error reply as a self-closing REPLY (DECISIONS.md "Request shape").
 * Returns the body bytes.
 */
export function buildReply(parts: ReplyParts): Buffer {
  const attrs = `STATUS="${escapeLatin1(parts.status)}" ERROR_CODE="${escapeLatin1(parts.errorCode)}" ERROR_STR="${escapeLatin1(parts.errorStr)}"`;
  const chunks: string[] = [HEAD];
  const items = parts.items ?? [];
  const values = parts.values ?? [];
  if (items.length === 0 && values.length === 0) {
    chunks.push(`<REPLY ${attrs}/>`);
  } else {
    chunks.push(`<REPLY ${attrs}>`);
    for (const [name, value] of values) chunks.push(tag(name, value));
    for (const item of items) {
      chunks.push('<ITEM>');
      for (const [name, value] of item) chunks.push(tag(name, value));
      chunks.push('</ITEM>');
    }
    chunks.push('</REPLY>');
  }
  chunks.push('</WAPI>\n');
  return Buffer.from(chunks.join(''), 'latin1');
}
