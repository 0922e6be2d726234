import { pino, type Logger } from 'pino';

/** Paths pino blanks out wherever they occur: the password never reaches a log line. */
export const REDACT_PATHS = [
  'password',
  'PASSWORD',
  '*.password',
  '*.PASSWORD',
  'credentials.password',
  '*.credentials.password',
  'headers.authorization',
];

/** The JSON logger on stderr (stdout stays for data and the emulator's ready line). */
export function createLogger(level = 'warn', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination as never);
}
