import type { Register } from '../program.js';
import { addValidateOptions, runImport, type ImportFlags } from './import.js';

/**
 * `validate` is `import --dry-run` when a server is named (--url or WAPI_URL), else the checks
 * that need none: the mapping, the header, every row mapped and checked against the catalogue.
 */
export const registerValidate: Register = (program, context) => {
  addValidateOptions(
    program
      .command('validate')
      .description('check a CSV against a mapping without writing (offline unless --url or WAPI_URL is given)')
      .argument('<file.csv>', 'the CSV to check'),
  ).action(async (file: string, flags: ImportFlags) => {
    const online = flags.url !== undefined || (process.env['WAPI_URL'] ?? '') !== '';
    await runImport(file, { ...flags, maxErrors: 0 }, context, { offline: !online, dryRun: true });
  });
};
