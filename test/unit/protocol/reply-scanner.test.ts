import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/protocol/catalogue.js';
import { buildReply } from '../../../src/emulator/reply-builder.js';
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

  // The traps the differential test found: the fast path accepted what the full parser refuses,
  // or read it differently.
  describe('traps', () => {
    const body = (inner: string, attrs = 'STATUS="0"') => `<?xml version="1.0"?><WAPI><REPLY ${attrs}>${inner}</REPLY></WAPI>`;

    it('&am&amp;p;: a bare & that an inner reference would complete is refused by both', () => {
      // Bug: the scanner removed the references first and found `&amp;` in what was left.
      const xml = body('<ITEM><A>&am&amp;p;</A></ITEM>');
      expect(scanReply(xml)).toBeUndefined();
      expect(outcome(parseReply, xml)).toEqual({ error: 'WAPI_BAD_REPLY' });
    });

    it('two STATUS attributes: refused by both, in any case', () => {
      // Bug: the scanner took the last STATUS, the full parser refused the reply.
      for (const attrs of ['STATUS="0" STATUS="-1"', 'STATUS="-1" status="0"', 'STATUS="0" ERROR_STR="a" error_str="b"']) {
        const xml = body('<ITEM><A>1</A></ITEM>', attrs);
        expect(scanReply(xml)).toBeUndefined();
        expect(outcome(parseReply, xml)).toEqual({ error: 'WAPI_BAD_REPLY' });
      }
    });

    it('a raw U+0001: refused by both, not read as a CR', () => {
      // Bug: the scanner kept the raw U+0001; the full parser turned it into CR (its CR sentinel).
      for (const xml of [body('<ITEM><A>a\u0001b</A></ITEM>'), body('', 'STATUS="0" ERROR_STR="a\u0001b"')]) {
        expect(scanReply(xml)).toBeUndefined();
        expect(outcome(parseReply, xml)).toEqual({ error: 'WAPI_BAD_REPLY' });
      }
    });

    it('a raw CR before &#10;: two line ends in both', () => {
      // Bug: the full parser resolved &#10; first and then read CR LF as one line end.
      const xml = body('<ITEM><A>a\r&#10;b</A></ITEM>');
      expect(scanReply(xml)?.items).toEqual([{ A: 'a\n\nb' }]);
      expect(parseReplyFully(xml).items).toEqual([{ A: 'a\n\nb' }]);
    });

    it('closing tags in another case than their start tag: refused by both', () => {
      // Bug: the scanner matched <item>...</ITEM> and <WAPI>...</wapi> without regard to case.
      for (const xml of ['<WAPI><REPLY STATUS="0"><item><A>1</A></ITEM></REPLY></WAPI>', '<WAPI><REPLY STATUS="0"/></wapi>', '<WAPI><REPLY STATUS="0"></reply></WAPI>']) {
        expect(scanReply(xml)).toBeUndefined();
        expect(outcome(parseReply, xml)).toEqual({ error: 'WAPI_BAD_REPLY' });
      }
    });

    it('a broken or upper-case XML declaration: the fast path hands it over', () => {
      // Bug: the scanner skipped any `<?xml ...?>`, even one the full parser refuses.
      for (const decl of ['<?XML version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1?>']) {
        const xml = `${decl}<WAPI><REPLY STATUS="0"/></WAPI>`;
        expect(scanReply(xml)).toBeUndefined();
        expect(outcome(parseReply, xml)).toEqual(outcome(parseReplyFully, xml));
      }
      expect(outcome(parseReply, '<?xml version="1.0" encoding="ISO-8859-1?><WAPI><REPLY STATUS="0"/></WAPI>')).toEqual({ error: 'WAPI_BAD_REPLY' });
    });

    it('an unquoted attribute with spaces around = (the guide prints one): read by both', () => {
      // Bug: the full parser quoted `STATUS=0` but not `ERROR_CODE = 81`, and refused the reply.
      const xml = '<WAPI><REPLY STATUS = 0 ERROR_CODE = 81 ERROR_STR=""/></WAPI>';
      expect(scanReply(xml)).toBeDefined();
      expect(parseReplyFully(xml)).toMatchObject({ status: '0', errorCode: '81' });
      expect(parseReply(xml)).toEqual(parseReplyFully(xml));
    });
  });
});
