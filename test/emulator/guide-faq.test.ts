/**
 * The guide, chapters "Manipulate FAQ Category Objects" and "Manipulate FAQ Objects": every
 * example request sent over HTTP as written (repairs noted next to each), and the documented
 * reply shape checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { replyId } from '../../src/protocol/reply.js';
import { GUIDE_FIXTURES } from './guide-fixtures.js';
import { emulator, expectItemTags, expectOk, expectRejected, get, replyTags, send, sendGuide, standard, TIMESTAMP } from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({ fixtures: GUIDE_FIXTURES });
});
afterAll(() => emu.close());

describe('FAQ categories', () => {
  it('Add FAQCategory Safety, private: answers <FAQCATID> directly under REPLY', async () => {
    const reply = await sendGuide(
      emu.url,
      standard(`<COMMAND OBJECT="FAQCategory" ACTION="Add">
<FAQCATEGORY>Safety</FAQCATEGORY>
<PRIVATE>Y</PRIVATE>
</COMMAND>`),
    );
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(reply.values).toEqual({ FAQCATID: '5' });
    expect(await get(emu.url, 'FAQCATEGORY', [['FAQCATID', '5']])).toEqual([{ FAQCATID: '5', FAQCATEGORY: 'Safety', PRIVATE: 'Y' }]);
  });

  it('Modify FAQCategory 1 to Legalities, private', async () => {
    // Not quoted in the guide: sent as it stands.
    const reply = await sendGuide(
      emu.url,
      `<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="FAQCategory" ACTION="Modify"> <FAQCATID>1</FAQCATID>
<FAQCATEGORY>Legalities</FAQCATEGORY>
<PRIVATE>Y</PRIVATE>
</COMMAND>
</WAPI>`,
    );
    expectOk(reply);
    expect(reply.values).toEqual({ FAQCATID: '1' });
    expect(await get(emu.url, 'FAQCATEGORY', [['FAQCATID', '1']])).toEqual([{ FAQCATID: '1', FAQCATEGORY: 'Legalities', PRIVATE: 'Y' }]);
  });

  it('Get FAQCategory with no tags: every category, each ITEM with FAQCATID and FAQCATEGORY', async () => {
    const reply = await sendGuide(emu.url, standard(`<COMMAND OBJECT="FAQCategory" ACTION="Get">\n</COMMAND>`));
    expectOk(reply);
    expectItemTags(reply.items, replyTags('FAQCATEGORY'));
    expect(reply.items.map((i) => [i['FAQCATID'], i['FAQCATEGORY']])).toEqual([
      ['1', 'Legalities'],
      ['2', 'Safety'],
      ['3', 'legalities'],
      ['4', 'legal'],
      ['5', 'Safety'],
    ]);
  });

  it('Delete FAQCategory 4 (no FAQs in it): an empty REPLY', async () => {
    const reply = await sendGuide(emu.url, standard(`<COMMAND OBJECT="FAQCategory" ACTION="Delete"> <FAQCATID>4</FAQCATID>\n</COMMAND>`));
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(reply.values).toEqual({});
    expect(await get(emu.url, 'FAQCATEGORY', [['FAQCATID', '4']])).toEqual([]);
  });

  it('"You cannot delete a category that contains FAQ items"', async () => {
    expectRejected(await send(emu.url, 'FAQCATEGORY', 'DELETE', [['FAQCATID', '2']]), 17, 'FAQ Category cannot be deleted when FAQ exists for the given category');
    expect(await get(emu.url, 'FAQCATEGORY', [['FAQCATID', '2']])).toHaveLength(1);
  });
});

describe('FAQs', () => {
  it('Add FAQ to category 1: answers <FAQID> directly under REPLY', async () => {
    // Repaired: the example logs in as wapi/wapi1, which the sample tenant does not have. The
    // answer keeps its "¬" and line breaks.
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="FAQ" ACTION="Add">
<FAQCATID>1</FAQCATID>
<QUESTION>What types of private jets are available for leasing?</QUESTION>
<ANSWER> Private jets are typically categorized into three different size classes
¬ light jets, mid-sized jets and heavy jets. Light Jets can seat up to 4
passengers, mid-sized jets seat up to 8, while the heavy jets seat up to 12
passengers.</ANSWER>
<SHORTCUT>Jettype1</SHORTCUT>
<PRIVATE>Y</PRIVATE>
</COMMAND>
</WAPI>'`,
    );
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(Object.keys(reply.values)).toEqual(['FAQID']);
    const id = replyId(reply, 'FAQID')!;
    expect(id).toBe('46');
    const [item] = (await get(emu.url, 'FAQ', [['FAQCATID', '1']])).filter((i) => i['FAQID'] === id);
    expect(item).toMatchObject({
      FAQCATID: '1',
      QUESTION: 'What types of private jets are available for leasing?',
      ANSWER: ' Private jets are typically categorized into three different size classes\n¬ light jets, mid-sized jets and heavy jets. Light Jets can seat up to 4\npassengers, mid-sized jets seat up to 8, while the heavy jets seat up to 12\npassengers.',
      SHORTCUT: 'Jettype1',
      PRIVATE: 'Y',
      LANGUAGE: 'en',
    });
    expect(item!['CREATEDDATE']).toMatch(TIMESTAMP);
  });

  it('Modify FAQ 1: question and answer, the rest kept', async () => {
    const reply = await sendGuide(
      emu.url,
      `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”FAQ” ACTION=”Modify”>
<FAQID>1</FAQID>
<QUESTION>What types of private jets are available for leasing?</QUESTION>
<ANSWER>Private jets are typically categorized into three different size classes
light jets, mid-sized jets and heavy jets. Light Jets can seat up to 4 passengers,
mid-sized jets seat up to 8, while the heavy jets seat up to 12
passengers.</ANSWER>
</COMMAND>
</WAPI>'`,
    );
    expectOk(reply);
    expect(reply.values).toEqual({ FAQID: '1' });
    const [item] = (await get(emu.url, 'FAQ', [['FAQCATID', '1']])).filter((i) => i['FAQID'] === '1');
    expect(item).toMatchObject({ QUESTION: 'What types of private jets are available for leasing?', PRIVATE: 'N', FAQCATID: '1' });
    expect(item!['ANSWER']).toMatch(/^Private jets are typically/);
  });

  it('Get FAQ in category 1: the guide\'s reply fields in each ITEM', async () => {
    const reply = await sendGuide(emu.url, standard(`<COMMAND OBJECT="FAQ" ACTION="Get">\n<FAQCATID>1</FAQCATID>\n</COMMAND>`));
    expectOk(reply);
    expectItemTags(reply.items, replyTags('FAQ'));
    for (const tag of ['FAQCATID', 'FAQID', 'QUESTION', 'ANSWER', 'SHORTCUT', 'PRIVATE']) expect(reply.items[0]).toHaveProperty([tag]);
    expect(reply.items.map((i) => i['FAQID'])).toEqual(['1', '3', '46']);
  });

  it('Get FAQ with STRING %light jets% (question or answer), and STRING % for all', async () => {
    const light = await sendGuide(emu.url, standard(`<COMMAND OBJECT="FAQ" ACTION="get">\n<STRING>%light jets%</STRING>\n</COMMAND>`));
    expectOk(light);
    expect(light.items.map((i) => i['FAQID'])).toEqual(['1', '3', '46']);
    // Repaired: the note's "<STRING>%<STRING>" gets its "/".
    const all = await sendGuide(emu.url, standard(`<COMMAND OBJECT="FAQ" ACTION="get">\n<STRING>%</STRING>\n</COMMAND>`));
    expectOk(all);
    expect(all.items.map((i) => i['FAQID'])).toEqual(['1', '3', '45', '46']);
  });

  it('Get FAQ of category 67890 created 06202012-06252012: none; of category 1: FAQ 3', async () => {
    // Repaired: <PASSWORD>john123<PASSWORD> gets its "/", the missing </COMMAND> is added.
    const example = (cat: string) => `‘<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT=”FAQ” ACTION=”GET”>
<FAQCATID>${cat}</FAQCATID>
<FROMCREATEDATE>06202012</FROMCREATEDATE>
<TOCREATEDATE>06252012</TOCREATEDATE>
</COMMAND>
</WAPI>’`;
    const none = await sendGuide(emu.url, example('67890'));
    expectOk(none);
    expect(none.items).toEqual([]);
    const one = await sendGuide(emu.url, example('1'));
    expectOk(one);
    expect(one.items.map((i) => i['FAQID'])).toEqual(['3']);
  });

  it('Delete FAQ 45: an empty REPLY; its category can then be deleted', async () => {
    const reply = await sendGuide(emu.url, standard(`<COMMAND OBJECT="FAQ" ACTION="Delete">\n<FAQID>45</FAQID>\n</COMMAND>`));
    expectOk(reply);
    expect(reply.items).toEqual([]);
    expect(reply.values).toEqual({});
    expect((await get(emu.url, 'FAQ', [['STRING', '%']])).map((i) => i['FAQID'])).toEqual(['1', '3', '46']);
    expectOk(await send(emu.url, 'FAQCATEGORY', 'DELETE', [['FAQCATID', '2']]));
  });
});
