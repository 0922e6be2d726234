import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../protocol/errors.js';

/**
 * A file of the emulator's options read as data: JSON when it ends in .json, YAML otherwise.
 * `what` names it in messages (`fixtures`, `the fault script`), `flag` is the option it came by.
 */
export function readDataFile(file: string, what: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code}`, `pass ${flag} FILE (YAML or JSON)`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${what} ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`, 'fix the file: YAML, or JSON when it ends in .json');
  }
}
