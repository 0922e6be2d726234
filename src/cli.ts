#!/usr/bin/env node
import { runCli } from './cli/program.js';

// `wapi-bulk export ... | head`: a reader that stops early is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv);
