/**
 * Which settings and columns hold secrets. A report is shared more widely than the run's
 * logs, so anything whose name says password, secret, key, token or credential is blanked,
 * whatever its value: blanking a harmless value by mistake is the cheaper error.
 */

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'secret', 'key', 'apikey', 'token', 'credential', 'credentials', 'auth', 'authorization']);
const SECRET_PARTS = /password|passwd|secret|apikey|api_key|token|credential/i;

/** The words of a name: `WAPI_PASSWORD`, `apiKey`, `password-file`, `API key` -> lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

export function isSecretName(name: string): boolean {
  return SECRET_PARTS.test(name) || words(name).some((w) => SECRET_WORDS.has(w));
}

/** A URL's password (`https://user:pw@host`) replaced; other text as it is. */
export function withoutUrlPassword(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s@]*@/gi, '$1:(hidden)@');
}

export const HIDDEN = '(hidden)';
