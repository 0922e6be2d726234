import type { Register } from '../program.js';
import { addConnectionOptions } from '../connection.js';
import { notBuilt } from '../not-built.js';

export const registerImport: Register = (program) => {
  addConnectionOptions(
    program
      .command('import')
      .description('import a CSV through a YAML mapping: Add, Modify or Upsert, with success and error files')
      .argument('<file.csv>', 'the CSV to import')
      .requiredOption('--mapping <file.yaml>', 'the column mapping'),
  ).action(notBuilt('import'));
};
