import { describe, expect, it } from 'vitest';
import { checkCredentials, encodeRequest, transportFor } from '../../../src/client/transport.js';
import { displayUrl, redactUrlText, scrubSecrets } from '../../../src/client/secrets.js';

const command = { object: 'Customer', action: 'GET', tags: [['LASTNAME', "O'Neill & <Co>"]] as Array<[string, string]> };

describe('transports', () => {
  it.each([
    ['https://api.8x8.com/cc/v1/wapi', 'gateway'],
    ['https://api.8x8.com/cc/v1/wapi/', 'gateway'],
    ['http://127.0.0.1:8088/CC/V1/WAPI', 'gateway'],
    ['https://vcc-na4.8x8.com/WAPI/wapi.php', 'form'],
    ['https://proxy.example.com/crm', 'form'],
  ])('%s speaks %s', (url, transport) => {
    expect(transportFor(new URL(url))).toBe(transport);
  });

  it('takes an explicit transport over the path', () => {
    expect(transportFor(new URL('https://proxy.example.com/crm'), 'gateway')).toBe('gateway');
    expect(transportFor(new URL('https://api.8x8.com/cc/v1/wapi'), 'form')).toBe('form');
  });

  it('sends the gateway a bare COMMAND as application/xml, the tenant and key as headers', () => {
    const { body, headers } = encodeRequest('gateway', { tenant: 'AcmeJets', apiKey: 'k-123' }, command);
    expect(body).toBe('<COMMAND OBJECT="CUSTOMER" ACTION="GET"><LASTNAME>O&rsquot;Neill &amp; &lt;Co&gt;</LASTNAME></COMMAND>');
    expect(headers).toEqual({ 'content-type': 'application/xml', 'x-8x8-tenant': 'AcmeJets', 'x-api-key': 'k-123' });
  });

  it('sends /WAPI/wapi.php the WAPI envelope with the login, as the form field xml_query', () => {
    const { body, headers } = encodeRequest('form', { tenant: 'AcmeJets', username: 'johnd', password: 'john123' }, command);
    expect(headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    const xml = new URLSearchParams(body).get('xml_query');
    expect(xml).toBe('<WAPI><TENANT>AcmeJets</TENANT><USERNAME>johnd</USERNAME><PASSWORD>john123</PASSWORD><COMMAND OBJECT="CUSTOMER" ACTION="GET"><LASTNAME>O&rsquot;Neill &amp; &lt;Co&gt;</LASTNAME></COMMAND></WAPI>');
  });

  it('needs an API key for the gateway, a username and password for the form, and nothing else', () => {
    expect(() => checkCredentials('gateway', { tenant: 'AcmeJets' })).toThrow(/API gateway needs an API key/);
    expect(() => checkCredentials('gateway', { tenant: 'AcmeJets', apiKey: 'k' })).not.toThrow();
    expect(() => checkCredentials('form', { tenant: 'AcmeJets', username: 'johnd' })).toThrow(/the password is missing/);
    expect(() => checkCredentials('form', { tenant: 'AcmeJets', username: 'johnd', password: 'p' })).not.toThrow();
  });
});

describe('secrets in text', () => {
  const credentials = { tenant: 'AcmeJets', username: 'johnd', password: 'p@ss word&1', apiKey: 'key-XYZ' };

  it('removes the password, raw and URL-encoded, and the API key', () => {
    const text = `echo: xml_query=%3CPASSWORD%3E${encodeURIComponent('p@ss word&1')}%3C and p@ss word&1, x-api-key: key-XYZ`;
    const scrubbed = scrubSecrets(text, credentials);
    expect(scrubbed).not.toContain('p@ss word&1');
    expect(scrubbed).not.toContain(encodeURIComponent('p@ss word&1'));
    expect(scrubbed).not.toContain('key-XYZ');
    expect(scrubbed).toContain('[redacted]');
  });

  it('prints URLs without userinfo or query', () => {
    expect(displayUrl(new URL('https://bob:secret@vcc.example.com:8443/WAPI/wapi.php?key=abc'))).toBe('https://vcc.example.com:8443/WAPI/wapi.php');
    expect(redactUrlText('https://bob:secret@%%bad')).toBe('https://[redacted]@%%bad');
  });
});
