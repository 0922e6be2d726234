import { pino, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they occur: the password and the API key never reach a log
 * line. (The client's own debug lines leave them out in the first place: wapi-client.ts.)
 */
export const REDACT_PATHS = [
  'password',
  'PASSWORD',
  '*.password',
  '*.PASSWORD',
  'credentials.password',
  '*.credentials.password',
  'apiKey',
  '*.apiKey',
  'credentials.apiKey',
  '*.credentials.apiKey',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

/** The JSON logger on stderr (stdout stays for data and the emulator's ready line). */
export function createLogger(level = 'warn', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination as never);
}
