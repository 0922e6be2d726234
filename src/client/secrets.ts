import type { Credentials } from '../protocol/request.js';

const CENSOR = '[redacted]';

/**
 * Remove the password and the API key from text the client is about to show: a reply quoted in
 * an error (a misconfigured proxy may echo the request), a message a server wrote. Both the raw
 * and the URL-encoded form are removed, since the form transport URL-encodes the password.
 */
export function scrubSecrets(text: string, credentials: Credentials): string {
  let out = text;
  for (const secret of [credentials.password, credentials.apiKey]) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join(CENSOR);
    }
  }
  return out;
}

/** A URL fit to print: no `user:pass@`, no query string (it may hold a key). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** A URL as typed, fit to print even when it does not parse: userinfo replaced. */
export function redactUrlText(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${CENSOR}@`);
}
