import { describe, expect, it } from 'vitest';
import { ApiRejection, WapiBulkError } from '../../../src/protocol/errors.js';
import { assertSuccess, isSuccess, parseReply, replyId, replySummary, type WapiReply } from '../../../src/protocol/reply.js';

const ok = (inner: string) => `<?xml version="1.0" encoding="ISO-8859-1"?><WAPI><REPLY STATUS="0" ERROR_CODE="0" ERROR_STR="">${inner}</REPLY></WAPI>`;
const item = (inner: string) => parseReply(ok(`<ITEM>${inner}</ITEM>`)).items[0];

function rejection(body: string): ApiRejection {
  const reply = parseReply(body);
  expect(isSuccess(reply)).toBe(false);
  try {
    assertSuccess(reply);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiRejection);
    return error as ApiRejection;
  }
  throw new Error('expected an ApiRejection');
}

function badReply(body: string | Buffer): WapiBulkError {
  try {
    parseReply(body);
  } catch (error) {
    expect(error).toBeInstanceOf(WapiBulkError);
    expect((error as WapiBulkError).code).toBe('WAPI_BAD_REPLY');
    return error as WapiBulkError;
  }
  throw new Error('expected WAPI_BAD_REPLY');
}

describe('parseReply: values', () => {
  it.each(['00123', ' 00123 ', '1e5', '0x1F', '-0', '1,000', 'true', 'False', 'null', '12.50', '062120121315', '+1 (555) 292-8608'])(
    'keeps %j a string, exactly',
    (value) => {
      expect(item(`<V>${value}</V>`)).toEqual({ V: value });
      expect(parseReply(ok(`<CASENUM>${value}</CASENUM>`)).values).toEqual({ CASENUM: value });
    },
  );

  it('reads empty tags, both spellings, as ""', () => {
    expect(item('<A/><B></B><C />')).toEqual({ A: '', B: '', C: '' });
  });

  it('keeps whitespace inside values and ignores it between tags', () => {
    expect(item('\n  <A> a </A>\n\t<B>x\ny</B>  <C>\t</C> <D> </D>\n')).toEqual({ A: ' a ', B: 'x\ny', C: '\t', D: ' ' });
  });

  it('upper-cases tag and attribute names (the follow-up reply has <status>, the guide <Description>)', () => {
    const reply = parseReply('<wapi><reply status="0" error_code="0" error_str=""><item><status>Open</status><Description>d</Description><task_text>t</task_text></item></reply></wapi>');
    expect(reply.status).toBe('0');
    expect(reply.items).toEqual([{ STATUS: 'Open', DESCRIPTION: 'd', TASK_TEXT: 't' }]);
  });

  it('resolves entities and references once, in text and in attributes', () => {
    const reply = parseReply(
      '<WAPI><REPLY STATUS="-1" ERROR_CODE="81" ERROR_STR="Duplicate value \'a&amp;b&#19990;&quot;\' of \'EMAIL\'">' +
        '<ITEM><A>&amp;lt;</A><B>&lt;x&gt;</B><C>&#19990;&#x4E16;&#128512;</C><D>&amp;#19990;</D><E>&apos;&quot;</E></ITEM></REPLY></WAPI>',
    );
    expect(reply.errorStr).toBe('Duplicate value \'a&b世"\' of \'EMAIL\'');
    expect(reply.items[0]).toEqual({ A: '&lt;', B: '<x>', C: '世世😀', D: '&#19990;', E: '\'"' });
  });

  it('reads CDATA sections as text', () => {
    expect(item('<A><![CDATA[a<b&amp;]]></A><B>x<![CDATA[<y>]]>z</B>')).toEqual({ A: 'a<b&amp;', B: 'x<y>z' });
  });

  it('decodes a Buffer as ISO-8859-1, byte for byte, never as UTF-8', () => {
    const head = Buffer.from('<WAPI><REPLY STATUS="0"><ITEM><V>', 'latin1');
    const tail = Buffer.from('</V></ITEM></REPLY></WAPI>', 'latin1');
    const body = Buffer.concat([head, Buffer.from([0xe9, 0x20, 0xc3, 0xa9, 0x20, 0xff, 0x80]), tail]);
    expect(parseReply(body).items[0]).toEqual({ V: 'é Ã© ÿ\u0080' });
  });

  it('takes the first of a tag repeated inside an ITEM', () => {
    expect(item('<A>1</A><A>2</A>')).toEqual({ A: '1' });
  });
});

describe('parseReply: shape', () => {
  it('returns a list for one ITEM, for none, and for an empty <ITEM/>', () => {
    expect(parseReply(ok('<ITEM><A>1</A></ITEM>')).items).toEqual([{ A: '1' }]);
    expect(parseReply(ok('')).items).toEqual([]);
    expect(parseReply(ok('<ITEM/>')).items).toEqual([{}]);
  });

  it('keeps tags outside ITEM apart, in values', () => {
    const reply = parseReply(ok('<CASENUM>7</CASENUM><ITEM><A>1</A></ITEM>'));
    expect(reply.values).toEqual({ CASENUM: '7' });
    expect(reply.items).toEqual([{ A: '1' }]);
  });

  it('tolerates whitespace and a byte-order mark before the XML declaration', () => {
    expect(parseReply(`\n\r\n  ${ok('')}`).status).toBe('0');
    expect(parseReply(`\uFEFF${ok('')}`).status).toBe('0');
  });

  it.each([
    ['<REPLY STATUS=0 ERROR_CODE=0 ERROR_STR="">', '0', '0'],
    ['<REPLY STATUS=-1 ERROR_CODE=5 ERROR_STR="x"/>', '-1', '5'],
    ["<REPLY STATUS='0' ERROR_STR=''/>", '0', ''],
    ['<REPLY STATUS = "0" ERROR_STR="" />', '0', ''],
    ['<REPLY\n STATUS="303"\n ERROR_STR="Invalid login parameters."/>', '303', ''],
  ])('reads the start tag %j', (tag, status, errorCode) => {
    const body = tag.endsWith('/>') ? `<WAPI>${tag}</WAPI>` : `<WAPI>${tag}</REPLY></WAPI>`;
    const reply = parseReply(body);
    expect([reply.status, reply.errorCode]).toEqual([status, errorCode]);
  });

  // Regression: quoting unquoted attributes also rewrote `name=value` inside a quoted ERROR_STR
  // (which echoes the rejected value), so "The value 'x y=z' ..." came back as "The value 'x y=".
  it.each([
    "The value 'x y=z' for the tag 'EMAIL' is not valid",
    "The value 'a=b c=d' of the alias 'COMMENTS' is not valid",
    'The passed value \'a >b=c\' of the alias \'X\' doesn\'t meet the specified criterion',
  ])('keeps `name=value` inside a quoted ERROR_STR: %j', (message) => {
    const escaped = message.replace(/>/g, '&gt;');
    expect(parseReply(`<WAPI><REPLY STATUS=-1 ERROR_CODE="5" ERROR_STR="${escaped}"/></WAPI>`).errorStr).toBe(message);
    expect(parseReply(`<WAPI><REPLY STATUS="-1" ERROR_CODE="5" ERROR_STR="${message}"/></WAPI>`).errorStr).toBe(message);
  });
});

describe('error replies, assertSuccess and ApiRejection', () => {
  it.each([
    // README, "Protocol notes", "Reading replies": the login and permission replies, from 8x8's support pages.
    ['303', '', 'Invalid login parameters.', 'WAPI_AUTH'],
    ['303', '0', 'Invalid login parameters.', 'WAPI_AUTH'],
    ['310', '', 'Operation Denied. Not enough permissions', 'WAPI_PERMISSION'],
    ['-1', '81', "Duplicate value 'b.gates@microsoft.com' of 'EMAIL'", 'WAPI_REJECTED'],
    ['-1', '8', 'None of the possible mandatory tags or its values is found. Please check the documentation and pass at least one mandatory tag', 'WAPI_REJECTED'],
    ['-1', '', 'Not a valid XML string', 'WAPI_REJECTED'],
    ['-1', '4', "Regular expression not allowed for the alias 'VOICE'", 'WAPI_REJECTED'],
    ['1', '', 'Internal Error', 'WAPI_REJECTED'],
  ])('STATUS %s ERROR_CODE %j -> %s', (status, errorCode, errorStr, code) => {
    const codeAttr = errorCode === '' ? '' : ` ERROR_CODE="${errorCode}"`;
    const error = rejection(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<WAPI>\n<REPLY STATUS="${status}"${codeAttr} ERROR_STR="${errorStr.replace(/'/g, '&apos;')}"/>\n</WAPI>`);
    expect(error.code).toBe(code);
    expect([error.status, error.errorCode, error.errorStr]).toEqual([status, errorCode, errorStr]);
    expect(error.message).toBe(errorStr);
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ status, errorCode });
    if (code !== 'WAPI_REJECTED') expect(error.hint).toBeTruthy();
  });

  it('says STATUS and ERROR_CODE when ERROR_STR is empty', () => {
    expect(rejection('<WAPI><REPLY STATUS="-1" ERROR_STR=""/></WAPI>').message).toContain('STATUS -1, ERROR_CODE none');
    expect(rejection('<WAPI><REPLY STATUS="-1" ERROR_CODE="7"></REPLY></WAPI>').message).toContain('ERROR_CODE 7');
  });

  it('takes STATUS alone to decide success (an ERROR_CODE without STATUS 0 is a failure)', () => {
    expect(isSuccess(parseReply('<WAPI><REPLY STATUS=" 0 " ERROR_CODE="3" ERROR_STR=""/></WAPI>'))).toBe(true);
    expect(isSuccess(parseReply('<WAPI><REPLY STATUS="00" ERROR_CODE="0" ERROR_STR=""/></WAPI>'))).toBe(false);
  });
});

describe('replyId and replySummary', () => {
  const reply = (values: Record<string, string>, items: Record<string, string>[] = []): WapiReply => ({
    status: '0',
    errorCode: '0',
    errorStr: '',
    values,
    items,
  });

  it('finds the id directly under REPLY or in the first ITEM, trimmed', () => {
    expect(replyId(reply({ CASENUM: ' 00123 ' }), 'CASENUM')).toBe('00123');
    expect(replyId(reply({}, [{ ACCOUNTNUM: '\n10000019\n' }]), 'accountnum')).toBe('10000019');
    expect(replyId(reply({ ACCOUNTNUM: '1' }, [{ ACCOUNTNUM: '2' }]), 'ACCOUNTNUM')).toBe('1');
    expect(replyId(reply({ ACCOUNTNUM: ' ' }, [{ ACCOUNTNUM: '2' }]), 'ACCOUNTNUM')).toBe('2');
  });

  it('returns undefined when the id is missing or empty', () => {
    expect(replyId(reply({}), 'CASENUM')).toBeUndefined();
    expect(replyId(reply({ CASENUM: '' }, [{ CASENUM: '' }]), 'CASENUM')).toBeUndefined();
    expect(replyId(reply({ TASKNUM: '5' }), 'CASENUM')).toBeUndefined();
  });

  it('reads the summary as numbers, 0 for what is absent or empty', () => {
    expect(replySummary(reply({}, [{ FIRSTID: ' 10000000 ', LASTID: '10000083', TOTAL: '81' }]))).toEqual({ firstId: 10000000, lastId: 10000083, total: 81 });
    expect(replySummary(reply({}, [{ FIRSTID: '', LASTID: '', TOTAL: '0' }]))).toEqual({ firstId: 0, lastId: 0, total: 0 });
    expect(replySummary(reply({}))).toEqual({ firstId: 0, lastId: 0, total: 0 });
  });
});

describe('unparseable bodies throw WAPI_BAD_REPLY', () => {
  it.each([
    ['an empty body', ''],
    ['only whitespace', ' \r\n\t'],
    ['plain text', 'Service Unavailable'],
    ['JSON', '{"status":0}'],
    ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['XML without WAPI', '<?xml version="1.0"?><ERROR>x</ERROR>'],
    ['WAPI without REPLY', '<WAPI><ITEM/></WAPI>'],
    ['an empty WAPI', '<WAPI/>'],
    ['a REPLY without STATUS', '<WAPI><REPLY ERROR_CODE="0" ERROR_STR=""/></WAPI>'],
    ['two REPLY elements', '<WAPI><REPLY STATUS="0"/><REPLY STATUS="-1"/></WAPI>'],
    ['two documents', '<WAPI><REPLY STATUS="0"/></WAPI><WAPI><REPLY STATUS="-1"/></WAPI>'],
    ['text after the document', '<WAPI><REPLY STATUS="0"/></WAPI>trailing<'],
    ['mismatched tags', ok('<ITEM><A>x</B></ITEM>')],
    ['a raw & in text', ok('<ITEM><A>a & b</A></ITEM>')],
    ['a tag name with a space (unrepaired extraction noise)', ok('<ITEM><ADDR2 STATE>CA</ADDR2 STATE></ITEM>')],
  ])('%s', (_, body) => {
    const error = badReply(body);
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain('wapi.php');
  });

  // Regression: fast-xml-parser returns what it read from a body cut short, so a truncated GET
  // looked like a successful reply with fewer ITEMs, and an export would have lost records.
  it.each([
    ['inside an ITEM', ok('<ITEM><A>x</A></ITEM><ITEM><A>y</A></ITEM>').slice(0, -45)],
    ['between ITEMs', ok('<ITEM><A>x</A></ITEM><ITEM><A>y</A></ITEM>').slice(0, -15)],
    ['before </WAPI>', ok('<ITEM><A>x</A></ITEM>').slice(0, -7)],
    ['inside a tag', ok('<ITEM><A>x</A></ITEM>').slice(0, -3)],
  ])('a reply cut short %s', (_, body) => {
    expect(badReply(Buffer.from(body, 'latin1')).message).toMatch(/not well-formed/);
  });
});
