import type { Register } from '../program.js';
import { notBuilt } from '../not-built.js';

export const registerValidate: Register = (program) => {
  program
    .command('validate')
    .description('check a CSV against a mapping without writing (offline unless --url/WAPI_URL is given)')
    .argument('<file.csv>', 'the CSV to check')
    .requiredOption('--mapping <file.yaml>', 'the column mapping')
    .action(notBuilt('validate'));
};
