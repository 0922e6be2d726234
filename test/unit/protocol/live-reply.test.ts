/**
 * A customer GET reply as a live tenant sends it (README "Protocol notes", "Reading replies"):
 * tags in the tenant's order, PBX (not in the guide), `customertype` in lower case, empty values
 * self-closing, ADDR1COUNTRY empty, no PASSWORD or AUTOPASSWD. Replayed through the reply
 * parser and the export's column writer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, replyFields } from '../../../src/protocol/catalogue.js';
import { parseReply, parseReplyFully } from '../../../src/protocol/reply.js';
import { scanReply } from '../../../src/protocol/reply-scanner.js';
import { cellValue, chooseColumns } from '../../../src/export/columns.js';

const body = readFileSync(new URL('./fixtures/live-customer-get-reply.xml', import.meta.url));

const LIVE_ORDER = [
  'FIRSTNAME', 'LASTNAME', 'COMPANY', 'PBX', 'COMMENTS', 'ACCOUNTNUM', 'CUSTOMERTYPE', 'EMAIL', 'VOICE', 'ALTERNATIVE', 'FAX',
  'ADDR1STR1', 'ADDR1STR2', 'ADDR1CITY', 'ADDR1STATE', 'ADDR1ZIP', 'ADDR1COUNTRY',
  'ADDR2STR1', 'ADDR2STR2', 'ADDR2CITY', 'ADDR2STATE', 'ADDR2ZIP', 'ADDR2COUNTRY',
];

describe('a captured live customer reply', () => {
  const reply = parseReply(body);

  it('is read on the fast path, and the full parser reads the same', () => {
    expect(scanReply(body.toString('latin1'))).toBeDefined();
    expect(reply).toEqual(parseReplyFully(body));
    expect(reply.status).toBe('0');
  });

  it('reads customertype as CUSTOMERTYPE, keeps PBX, and every empty tag as ""', () => {
    expect(reply.items).toHaveLength(2);
    for (const item of reply.items) expect(Object.keys(item)).toEqual(LIVE_ORDER);
    expect(reply.items[0]).toMatchObject({ FIRSTNAME: 'Jürgen', LASTNAME: 'Müller', COMPANY: '', PBX: '', CUSTOMERTYPE: 'Default', ADDR1STR1: 'Hauptstraße 12', ADDR1COUNTRY: '' });
    expect(reply.items[1]).toMatchObject({ LASTNAME: "O'Neill", COMPANY: 'Northwind Traders & Co', PBX: '4417', CUSTOMERTYPE: 'VIP' });
  });

  it('writes PBX as a column after the known ones, and what the reply lacks as empty cells', () => {
    const seen = new Set(reply.items.flatMap((item) => Object.keys(item)));
    const { columns, warnings } = chooseColumns(CATALOGUE.CUSTOMER, seen, {});
    expect(warnings).toEqual([]);
    // PASSWORD is left out of exports unless asked for; a live reply does not carry it anyway.
    const known = replyFields(CATALOGUE.CUSTOMER).map((f) => f.tag).filter((t) => t !== 'PASSWORD');
    expect(columns.map((c) => c.header)).toEqual([...known, 'PBX']);
    const row = (i: number) => Object.fromEntries(columns.map((c) => [c.header, cellValue(c, reply.items[i] as Record<string, string>, { rawDates: false })]));
    expect(row(0)).toMatchObject({ ACCOUNTNUM: '10004217', CUSTOMERTYPE: 'Default', PBX: '', AUTOPASSWD: '', CREATEDDATE: '', LASTMODDATE: '', ADDR1COUNTRY: '' });
    expect(row(1)).toMatchObject({ ACCOUNTNUM: '10004218', CUSTOMERTYPE: 'VIP', PBX: '4417', ADDR1STR2: 'Suite 1200', COMPANY: 'Northwind Traders & Co' });
  });
});
