import type { Register } from '../program.js';
import { notBuilt } from '../not-built.js';

export const registerReconcile: Register = (program) => {
  program
    .command('reconcile')
    .description('compare a CSV with what the CRM holds, and report the differences')
    .action(notBuilt('reconcile'));
};
