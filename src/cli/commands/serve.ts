import type { Register } from '../program.js';
import { notBuilt } from '../not-built.js';

export const registerServe: Register = (program) => {
  program
    .command('serve')
    .description('run the Local CRM emulator (a faithful CRM API server backed by SQLite)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8088')
    .option('--db <file>', 'SQLite file, or :memory:', ':memory:')
    .option('--tenant-config <file>', 'tenant configuration YAML', 'samples/tenant.yaml')
    .option('--max-items <n>', 'most ITEMs in one GET reply', '1000')
    .action(notBuilt('serve'));
};
