import { ConfigError } from '../protocol/errors.js';

/** Placeholder action for a command whose issue has not landed yet. */
export function notBuilt(name: string): () => never {
  return () => {
    throw new ConfigError(`\`wapi-bulk ${name}\` is not built yet`, 'see the README for what works today');
  };
}
