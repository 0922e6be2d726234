/**
 * Bad requests get an error reply, never a crash or a hang (issue 3): no xml_query, empty, not
 * XML, wrong root, unknown object or action, huge values, huge bodies, a million tags, deep
 * nesting, attribute floods, entity tricks, broken connections. After each, the server still
 * answers.
 */
import { connect } from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { encodeForm } from '../../src/protocol/request.js';
import { add, customerTags, emulator, expectRejected, expectSelfClosingError, get, postRaw, replyOf, send, sendXml } from './helpers.js';

const LOGIN = '<TENANT>AcmeJets</TENANT><USERNAME>johnd</USERNAME><PASSWORD>john123</PASSWORD>';

let emu: RunningEmulator;
let account: string;
beforeAll(async () => {
  emu = await emulator();
  account = await add(emu.url, 'CUSTOMER', customerTags());
});
afterAll(() => emu.close());

/** The server still answers a plain GET. */
async function stillServing(): Promise<void> {
  expect(await get(emu.url, 'CUSTOMER', [['ACCOUNTNUM', account]])).toHaveLength(1);
}

describe('malformed requests', () => {
  const cases: Array<[string, string, number, string]> = [
    ['no xml_query at all', 'other=1', 1, 'Not a valid XML string'],
    ['an empty body', '', 1, 'Not a valid XML string'],
    ['an empty xml_query', 'xml_query=', 1, 'Not a valid XML string'],
    ['only white space', `xml_query=${encodeURIComponent(' \n\t ')}`, 1, 'Not a valid XML string'],
    ['text that is not XML', 'xml_query=hello%20world', 1, 'Not a valid XML string'],
    ['JSON', `xml_query=${encodeURIComponent('{"object":"customer"}')}`, 1, 'Not a valid XML string'],
    ['a wrong root element', encodeForm(`<REQUEST>${LOGIN}</REQUEST>`), 1, "Not a valid XML string. Error after 'REQUEST'"],
    ['two WAPI elements', encodeForm(`<WAPI>${LOGIN}</WAPI><WAPI/>`), 1, "XML string not correct. Error at line '1': 'more than one root element'"],
    ['two COMMAND elements', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CASE" ACTION="GET"/><COMMAND OBJECT="CASE" ACTION="GET"/></WAPI>`), 1, "Not a valid XML string. Error after 'COMMAND'"],
    ['an unknown element beside COMMAND', encodeForm(`<WAPI>${LOGIN}<EXTRA/><COMMAND OBJECT="CASE" ACTION="GET"/></WAPI>`), 1, "Not a valid XML string. Error after 'EXTRA'"],
    ['an unknown object', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="INVOICE" ACTION="GET"/></WAPI>`), 9, "OBJECT 'INVOICE' is not a valid object"],
    ['an unknown action', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CASE" ACTION="UPSERT"/></WAPI>`), 10, 'Action Value Not Valid'],
    ['a truncated document', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CASE" ACTION="GET">`), 1, ''],
    ['a bare ampersand', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>AT&T</COMPANY></COMMAND></WAPI>`), 1, ''],
    ['an undefined entity', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>a&nbsp;b</COMPANY></COMMAND></WAPI>`), 1, "XML string not correct. Error at line '1': 'entity '&nbsp;' is not defined'"],
    ['a control character', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>a\u0001b</COMPANY></COMMAND></WAPI>`), 1, "XML string not correct. Error at line '1': 'character U+0001 is not allowed in XML'"],
    ['a reference to a control character', encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>a&#1;b</COMPANY></COMMAND></WAPI>`), 1, "XML string not correct. Error at line '1': ''&#1;' is no XML character'"],
    ['a DOCTYPE with an entity', encodeForm(`<!DOCTYPE WAPI [<!ENTITY x "${'x'.repeat(1000)}">]><WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"><COMPANY>&x;&x;&x;</COMPANY></COMMAND></WAPI>`), 1, "XML string not correct. Error at line '1': 'DOCTYPE and other declarations are not accepted in a request'"],
    ['random bytes', `xml_query=${encodeURIComponent(String.fromCharCode(...Array.from({ length: 200 }, (_, i) => (i * 73) % 256)))}`, 1, ''],
    ['invalid percent escapes', 'xml_query=%E0%A4%A%ZZ<WAPI', 1, ''],
  ];

  it.each(cases)('%s: an error reply', async (_, body, errorCode, errorStr) => {
    const posted = await postRaw(emu.url, body);
    expectSelfClosingError(posted);
    const reply = replyOf(posted);
    if (errorStr === '') {
      expect(reply.status).toBe('-1');
      expect(reply.errorCode).toBe(String(errorCode));
      expect(reply.errorStr).toMatch(/^(Not a valid XML string|XML string not correct\. Error at line '\d+': '.+')$/);
    } else {
      expectRejected(reply, errorCode, errorStr);
    }
  });

  it('names no one expects: __proto__, constructor and toString are tags like any other', async () => {
    for (const tag of ['__proto__', 'constructor', 'toString']) {
      expectRejected(await sendXml(emu.url, `<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"><${tag}>x</${tag}></COMMAND></WAPI>`), 16, `The tag '${tag.toUpperCase()}' is not a valid tag for the 'GET' on the 'CUSTOMER'`);
    }
    await stillServing();
  });
});

describe('size limits', () => {
  it('a 3 MB DESCRIPTION is a length error, not a crash', async () => {
    const description = 'a'.repeat(3 * 1024 * 1024);
    const reply = await send(emu.url, 'CASE', 'ADD', [['ACCOUNTNUM', account], ['SUBJECT', 'big'], ['DESCRIPTION', description]]);
    expectRejected(
      reply,
      3,
      `The length of the value for the alias 'DESCRIPTION' doesn't confirm to the criterion. The length of the value passed is '${3 * 1024 * 1024}', min length allowed is '1' and max length allowed is '${2 * 1024 * 1024}'`,
    );
    // 2 MB exactly is allowed, and comes back whole.
    const casenum = (await send(emu.url, 'CASE', 'ADD', [['ACCOUNTNUM', account], ['SUBJECT', 'big'], ['DESCRIPTION', 'b'.repeat(2 * 1024 * 1024)]])).values['CASENUM']!;
    const [item] = await get(emu.url, 'CASE', [['CASENUM', casenum]]);
    expect(item!['DESCRIPTION']).toHaveLength(2 * 1024 * 1024);
  });

  it('a body over 4 MB gets an error reply (HTTP 200, as PHP answers a post over its limit), and the connection stays usable', async () => {
    const body = encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="CASE" ACTION="ADD"><DESCRIPTION>${'x'.repeat(4 * 1024 * 1024)}</DESCRIPTION></COMMAND></WAPI>`);
    const posted = await postRaw(emu.url, body);
    expectSelfClosingError(posted);
    expectRejected(replyOf(posted), 20, 'Request too large: more than 4194304 bytes');
    await stillServing();
  });

  it('a body announced as far larger than that is answered and the connection closed', async () => {
    const { port, hostname } = new URL(emu.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write(`POST /WAPI/wapi.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\nxml_query=`);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(socket, 'close');
    const text = Buffer.concat(chunks).toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('ERROR_STR="Request too large: more than 4194304 bytes"');
    await stillServing();
  });

  it('a million tags: refused by the pre-scan before any tree is built', async () => {
    const posted = await postRaw(emu.url, `xml_query=<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET">${'<a/>'.repeat(1_000_000)}</COMMAND></WAPI>`);
    expect(posted.body.length).toBeLessThan(1000);
    expectRejected(replyOf(posted), 1, "XML string not correct. Error at line '1': 'more than 10000 elements'");
    await stillServing();
  });

  it('deeply nested elements, with ASCII and non-ASCII names', async () => {
    for (const name of ['a', 'é']) {
      const posted = await postRaw(emu.url, Buffer.from(`xml_query=<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET">${`<${name}>`.repeat(200_000)}${`</${name}>`.repeat(200_000)}</COMMAND></WAPI>`));
      expectRejected(replyOf(posted), 1, "XML string not correct. Error at line '1': 'elements nested deeper than 16 levels'");
    }
    await stillServing();
  });

  it('a flood of attributes', async () => {
    const attributes = Array.from({ length: 200_000 }, (_, i) => ` a${i}="1"`).join('');
    const posted = await postRaw(emu.url, `xml_query=<WAPI>${LOGIN}<COMMAND OBJECT="CUSTOMER" ACTION="GET"${attributes}/></WAPI>`);
    expectRejected(replyOf(posted), 1, "XML string not correct. Error at line '1': 'more than 64 attributes'");
    await stillServing();
  });

  it('what is inside CDATA or a comment is not counted as markup', async () => {
    const many = `<WAPI>${LOGIN}${'<!-- <a><a><a> -->'.repeat(100)}<COMMAND OBJECT="CASE" ACTION="ADD"><ACCOUNTNUM>${account}</ACCOUNTNUM><SUBJECT>markup</SUBJECT><DESCRIPTION><![CDATA[${'<div>'.repeat(20_000)}]]></DESCRIPTION></COMMAND></WAPI>`;
    const reply = await sendXml(emu.url, many);
    expect(reply.status).toBe('0');
    expect((await get(emu.url, 'CASE', [['CASENUM', reply.values['CASENUM']!]]))[0]!['DESCRIPTION']).toBe('<div>'.repeat(20_000));
  });
});

describe('connections', () => {
  it('a client that goes away in the middle of its body does not disturb the server, nor is it logged as an error', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    const logged = await emulator({ logger: pino({ level: 'debug' }, sink) });
    try {
      const { port, hostname } = new URL(logged.url);
      const socket = connect(Number(port), hostname);
      await once(socket, 'connect');
      socket.write('POST /WAPI/wapi.php HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nxml_query=<WAPI>');
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await once(socket, 'close');
      expect((await send(logged.url, 'GROUPS', 'LIST')).items).toHaveLength(2);
      await vi.waitFor(() => expect(lines.map((l) => l.msg)).toContain('request abandoned by the client'));
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await logged.close();
    }
  });

  it('garbage instead of HTTP is refused at the HTTP layer', async () => {
    const { port, hostname } = new URL(emu.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write('\u0000\u0001 this is not HTTP\r\n\r\n');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(socket, 'close');
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 400/);
    await stillServing();
  });

  it('two hundred requests at once, reads and writes mixed, all answered', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0 ? send(emu.url, 'CUSTOMER', 'ADD', customerTags([['COMPANY', `Load ${i}`]])) : send(emu.url, 'CUSTOMER', 'GET', [['COMPANY', 'Load%']]),
      ),
    );
    expect(replies.every((r) => r.status === '0')).toBe(true);
    expect(await get(emu.url, 'CUSTOMER', [['COMPANY', 'Load%']])).toHaveLength(100);
  });

  it('keep-alive: many requests over one connection', async () => {
    const { Client } = await import('undici');
    const client = new Client(new URL(emu.url).origin, { pipelining: 1 });
    try {
      for (let i = 0; i < 50; i++) {
        const res = await client.request({ path: '/WAPI/wapi.php', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encodeForm(`<WAPI>${LOGIN}<COMMAND OBJECT="GROUPS" ACTION="LIST"/></WAPI>`) });
        expect(res.statusCode).toBe(200);
        expect(res.headers['connection']).not.toBe('close');
        await res.body.dump();
      }
    } finally {
      await client.close();
    }
  });

  it('GET with the query string, and HEAD, on the endpoint', async () => {
    const res = await request(`${emu.url}?xml_query=${encodeURIComponent(`<WAPI>${LOGIN}<COMMAND OBJECT="GROUPS" ACTION="LIST"/></WAPI>`)}`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toContain('<GROUPID>101</GROUPID>');
    const head = await request(emu.url, { method: 'HEAD' });
    expect(head.statusCode).toBe(405);
    await head.body.dump();
  });
});
