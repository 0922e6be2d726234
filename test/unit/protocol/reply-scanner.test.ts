import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/protocol/catalogue.js';
import { buildReply } from '../../../src/protocol/reply-builder.js';
import { parseReply, parseReplyFully } from '../../../src/protocol/reply.js';
import { scanReply } from '../../../src/protocol/reply-scanner.js';
import { CASE_FOLLOWUP_REPLIES } from './guide-replies-case.js';
import { CUSTOMER_REPLIES } from './guide-replies-customer.js';
import { LIST_REPLIES } from './guide-replies-lists.js';
import { TASK_FAQ_REPLIES } from './guide-replies-task-faq.js';

const GUIDE = [...CUSTOMER_REPLIES, ...CASE_FOLLOWUP_REPLIES, ...TASK_FAQ_REPLIES, ...LIST_REPLIES];

/** What either parser makes of a body: the reply, or the error's code. */
function outcome(parse: (body: string) => unknown, body: string): unknown {
  try {
    return parse(body);
  } catch (error) {
    return { error: (error as { code?: string }).code };
  }
}

const VALUES = [
  'plain', '00123', '', '  spaced  ', 'é à ß ÿ', '王 世界', '😀 emoji', 'a & b < c > d " e \' f', 'line\nbreak',
  'cr\r\nlf', 'lone\rcr', 'tab\there', '&amp; literal', '&#19990; literal', ']]> end', 'x y=z',
];

describe('the reply fast path agrees with the full parser', () => {
  it.each(GUIDE.map((g) => [g.name, g.xml] as const))('guide reply: %s', (_name, xml) => {
    expect(outcome(parseReply, xml)).toEqual(outcome(parseReplyFully, xml));
  });

  it.each(VALUES.map((v) => [JSON.stringify(v), v] as const))('emulator-built reply holding %s', (_name, value) => {
    const body = buildReply({
      status: '-1',
      errorCode: '5',
      errorStr: `The value '${value}' of the alias 'X' is not valid`,
      values: [['CASENUM', value]],
      items: [[['A', value], ['B', ''], ['C', value]], [['A', 'second']]],
    }).toString('latin1');
    expect(scanReply(body)).toBeDefined();
    expect(parseReply(body)).toEqual(parseReplyFully(body));
  });

  it('takes the fast path for a full page of customers', () => {
    const items = Array.from({ length: 50 }, (_, i) => CATALOGUE.CUSTOMER.fields.filter((f) => f.reply).map((f) => [f.tag, `${f.tag} ${i} é`] as [string, string]));
    const body = buildReply({ status: '0', errorCode: '0', errorStr: '', items }).toString('latin1');
    expect(scanReply(body)?.items).toHaveLength(50);
    expect(parseReply(body)).toEqual(parseReplyFully(body));
  });

  // Each of these is outside the fast path's shape: it must hand over, not guess.
  it.each([
    ['truncated', '<?xml version="1.0"?><WAPI><REPLY STATUS="0"><ITEM><A>1</A></ITEM><ITEM><A>2'],
    ['CDATA', '<WAPI><REPLY STATUS="0"><ITEM><A><![CDATA[x<y]]></A></ITEM></REPLY></WAPI>'],
    ['comment', '<WAPI><REPLY STATUS="0"><!-- c --><ITEM><A>1</A></ITEM></REPLY></WAPI>'],
    ['nested', '<WAPI><REPLY STATUS="0"><ITEM><A><B>1</B></A></ITEM></REPLY></WAPI>'],
    ['bare ampersand', '<WAPI><REPLY STATUS="0"><ITEM><A>a & b</A></ITEM></REPLY></WAPI>'],
    ['unknown entity', '<WAPI><REPLY STATUS="0"><ITEM><A>&nbsp;</A></ITEM></REPLY></WAPI>'],
    ['mismatched case', '<WAPI><REPLY STATUS="0"><ITEM><A>1</a></ITEM></REPLY></WAPI>'],
    ['no STATUS', '<WAPI><REPLY ERROR_STR=""/></WAPI>'],
    ['two replies', '<WAPI><REPLY STATUS="0"/><REPLY STATUS="0"/></WAPI>'],
  ])('%s', (_name, xml) => {
    expect(scanReply(xml)).toBeUndefined();
    expect(outcome(parseReply, xml)).toEqual(outcome(parseReplyFully, xml));
  });
});
