import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/protocol/request.js';
import { parseReply, replyId } from '../../src/protocol/reply.js';

const creds = { tenant: 'AcmeJets', username: 'johnd', password: 'john123' };

describe('protocol smoke', () => {
  it('keeps a value that looks like markup as data', () => {
    const xml = buildRequest(creds, { object: 'customer', action: 'add', tags: [['FIRSTNAME', '</FIRSTNAME><ACCOUNTNUM>1']] });
    expect(xml).toContain('<FIRSTNAME>&lt;/FIRSTNAME&gt;&lt;ACCOUNTNUM&gt;1</FIRSTNAME>');
  });

  it('reads an id with or without ITEM', () => {
    const a = parseReply('<WAPI><REPLY STATUS="0" ERROR_CODE="0" ERROR_STR=""><ITEM><ACCOUNTNUM>1453</ACCOUNTNUM></ITEM></REPLY></WAPI>');
    const b = parseReply('<WAPI><REPLY STATUS="0" ERROR_STR=""><CASENUM>00123</CASENUM></REPLY></WAPI>');
    expect(replyId(a, 'ACCOUNTNUM')).toBe('1453');
    expect(replyId(b, 'CASENUM')).toBe('00123');
    expect(b.errorCode).toBe('');
  });
});
