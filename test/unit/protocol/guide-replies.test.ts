import { describe, expect, it } from 'vitest';
import { assertSuccess, isSuccess, parseReply, replyId, replySummary } from '../../../src/protocol/reply.js';
import { CASE_FOLLOWUP_REPLIES } from './guide-replies-case.js';
import { CUSTOMER_REPLIES } from './guide-replies-customer.js';
import { LIST_REPLIES } from './guide-replies-lists.js';
import { TASK_FAQ_REPLIES } from './guide-replies-task-faq.js';

const GUIDE_REPLIES = [...CUSTOMER_REPLIES, ...CASE_FOLLOWUP_REPLIES, ...TASK_FAQ_REPLIES, ...LIST_REPLIES];

describe("every reply shape quoted in the guide (repaired only for extraction noise)", () => {
  it('fixtures are Latin-1 only, so the Buffer below is exactly what an ISO-8859-1 server sends', () => {
    for (const reply of GUIDE_REPLIES) expect(reply.xml, reply.name).toMatch(/^[\u0000-\u00FF]*$/);
  });

  describe.each(GUIDE_REPLIES.map((r) => [r.name, r] as const))('%s', (_, guide) => {
    const body = Buffer.from(guide.xml, 'latin1');

    it('parses to the status, error fields, items and values the guide shows', () => {
      const reply = parseReply(body);
      expect(reply).toEqual({
        status: guide.status,
        errorCode: guide.errorCode,
        errorStr: guide.errorStr ?? '',
        items: guide.items ?? [],
        values: guide.values ?? {},
      });
    });

    it('reads the same from a Buffer and from the decoded string', () => {
      expect(parseReply(guide.xml)).toEqual(parseReply(body));
    });

    if (guide.id !== undefined) {
      const [tag, value] = guide.id;
      it(`finds the id ${tag}=${value}, with or without ITEM, in any case of the tag name`, () => {
        const reply = parseReply(body);
        expect(replyId(reply, tag)).toBe(value);
        expect(replyId(reply, tag.toLowerCase())).toBe(value);
      });
    }

    if (guide.summary !== undefined) {
      const summary = guide.summary;
      it('reads the FIRSTID/LASTID/TOTAL summary as numbers', () => {
        expect(replySummary(parseReply(body))).toEqual(summary);
      });
    }

    if (guide.status === '0') {
      it('counts as success', () => {
        const reply = parseReply(body);
        expect(isSuccess(reply)).toBe(true);
        expect(assertSuccess(reply)).toBe(reply);
      });
    }
  });

  it('keeps the records of a GET in the order sent, a single ITEM still a list', () => {
    const faqCategories = GUIDE_REPLIES.find((r) => r.name.startsWith('GET FAQ category'))!;
    expect(parseReply(faqCategories.xml).items.map((i) => i['FAQCATID'])).toEqual(['2', '3', '1']);
    const addCustomer = GUIDE_REPLIES.find((r) => r.name.startsWith('ADD customer'))!;
    expect(parseReply(addCustomer.xml).items).toEqual([{ ACCOUNTNUM: '1453' }]);
  });
});
