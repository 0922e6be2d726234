/**
 * The guide, chapters "List Attribute Values" and "List Tenant Configuration Attributes": every
 * example request sent over HTTP as written (repairs noted next to each), and the documented
 * reply shape checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { GUIDE_FIXTURES } from './guide-fixtures.js';
import { emulator, expectOk, expectRejected, send, sendGuide, VIEWER } from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await emulator({ fixtures: GUIDE_FIXTURES });
});
afterAll(() => emu.close());

const list = (object: string) => `'<WAPI>
<TENANT>AcmeJets</TENANT>
<USERNAME>johnd</USERNAME>
<PASSWORD>john123</PASSWORD>
<COMMAND OBJECT="${object}" ACTION="LIST">
</COMMAND>
</WAPI>'`;

describe('List COUNTRY', () => {
  it('one ITEM with a COUNTRY per country: every ISO 3166 country by its common English name', async () => {
    const reply = await sendGuide(emu.url, list('COUNTRY'));
    expectOk(reply);
    const countries = reply.items.map((i) => i['COUNTRY']);
    for (const item of reply.items) expect(Object.keys(item)).toEqual(['COUNTRY']);
    expect(countries.slice(0, 4)).toEqual(['Afghanistan', 'Åland Islands', 'Albania', 'Algeria']);
    expect(countries).toEqual(expect.arrayContaining(['United States', 'United Kingdom', 'Germany', 'China', 'South Korea', "Côte d'Ivoire"]));
    expect(countries.length).toBeGreaterThanOrEqual(249);
    expect(new Set(countries).size).toBe(countries.length);
  });
});

describe('List GROUPS, AGENTS, FAQCATEGORY', () => {
  it('GROUPS: the active groups, GROUPID and GROUP (the deleted group 103 is not listed)', async () => {
    // The guide prints the AGENTS reply under "Reply to List Agent GROUPS"; a group answers with
    // its id and name as GROUPID and GROUP.
    const reply = await sendGuide(emu.url, list('GROUPS'));
    expectOk(reply);
    expect(reply.items).toEqual([{ GROUPID: '101', GROUP: 'Sales' }, { GROUPID: '102', GROUP: 'Support' }]);
  });

  it('AGENTS: the active agents, AGENTID and AGENT (oldagent is deleted)', async () => {
    const reply = await sendGuide(emu.url, list('AGENTS'));
    expectOk(reply);
    expect(reply.items.map((i) => i['AGENTID'])).toEqual(['johnd', 'jsmith', 'bobp', 'rshasta', 'sbaker', 'jdoe', 'pma']);
    expect(reply.items[2]).toEqual({ AGENTID: 'bobp', AGENT: 'Bob Power' });
  });

  it('FAQCATEGORY: FAQCATID and FAQCATEGORY of each category', async () => {
    // Repaired: OBJECT="FAQCATEGORY"" has one quote too many.
    const reply = await sendGuide(emu.url, list('FAQCATEGORY'));
    expectOk(reply);
    expect(reply.items).toEqual([
      { FAQCATID: '1', FAQCATEGORY: 'Services' },
      { FAQCATID: '2', FAQCATEGORY: 'Safety' },
      { FAQCATID: '3', FAQCATEGORY: 'legalities' },
      { FAQCATID: '4', FAQCATEGORY: 'legal' },
    ]);
  });

  it('LIST is open to a user with Get rights only; LIST and GET do not mix', async () => {
    expectOk(await send(emu.url, 'AGENTS', 'LIST', [], VIEWER));
    expectRejected(await send(emu.url, 'COUNTRY', 'GET'), 10, "Action 'GET' Not Valid for the Object 'COUNTRY'");
    expectRejected(await send(emu.url, 'CUSTOMER', 'LIST'), 10, "Action 'LIST' Not Valid for the Object 'CUSTOMER'");
  });
});
