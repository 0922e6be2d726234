import type { Register } from '../program.js';
import { addConnectionOptions } from '../connection.js';
import { notBuilt } from '../not-built.js';

export const registerExport: Register = (program) => {
  addConnectionOptions(
    program
      .command('export')
      .description('export every record of an object to CSV, walking id ranges and date windows')
      .argument('<object>', 'customer, case, task, followup, faq or faqcategory')
      .requiredOption('--out <file.csv>', 'the CSV to write'),
  ).action(notBuilt('export'));
};
