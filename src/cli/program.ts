import { Command, CommanderError } from 'commander';
import type { Logger } from 'pino';
import { EXIT_OK, EXIT_START, reportFatal } from './exit.js';
import { createLogger } from './logger.js';
import { registerServe } from './commands/serve.js';
import { registerImport } from './commands/import.js';
import { registerExport } from './commands/export.js';
import { registerValidate } from './commands/validate.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerRuns } from './commands/runs.js';
import { registerInit } from './commands/init.js';
import { registerUndo } from './commands/undo.js';
import { packageVersion } from './version.js';
import { applyConfig, CONFIG_FILE, loadConfigFile } from './config-file.js';

/** What every command action gets: the logger and the streams (tests pass their own). */
export interface CliContext {
  readonly logger: () => Logger;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Set by a command to the exit code of its run. */
  exitCode: number;
}

export type Register = (program: Command, context: CliContext) => void;

export function buildProgram(context: CliContext): Command {
  const program = new Command('wapi-bulk')
    .description('Bulk import, export and reconciliation for the 8x8 Local CRM API (WAPI)')
    .version(packageVersion(), '-V, --version', 'print the version of wapi-bulk')
    .option('--debug', 'print stack traces and debug logs')
    .option('--log-level <level>', 'what stderr shows: fatal, error, warn, info, debug (debug: every request and reply)', 'warn')
    .option('--log-file <file>', 'also write the log as JSON lines to this file (at info, or --log-level if lower)')
    .option('--config <file>', `settings and defaults (default: ./${CONFIG_FILE} when it exists); flags and the environment win over it`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // Before the commands are added: subcommands copy the output settings when they are made
    // (found in review: `validate --help` went to the process's stdout, not the caller's).
    .configureOutput({ writeOut: (s) => context.stdout.write(s), writeErr: (s) => context.stderr.write(s) });
  for (const register of [registerServe, registerImport, registerExport, registerValidate, registerReconcile, registerRuns, registerUndo, registerInit]) {
    register(program, context);
  }
  // The config file fills what neither a flag nor the environment gave, before the command runs.
  program.hook('preAction', (root, command) => {
    const loaded = loadConfigFile(root.opts<{ config?: string }>().config);
    if (loaded) applyConfig(loaded.config, [root, command]);
  });
  return program;
}

/** Run the CLI with argv (as process.argv); resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  streams: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): Promise<number> {
  const stdout = streams.stdout ?? process.stdout;
  const stderr = streams.stderr ?? process.stderr;
  let logger: Logger | undefined;
  let flushLog: () => void = () => undefined;
  const context: CliContext = {
    stdout,
    stderr,
    exitCode: EXIT_OK,
    logger: () => {
      if (!logger) {
        const opts = program.opts<{ debug?: boolean; logLevel: string; logFile?: string }>();
        ({ logger, flush: flushLog } = createLogger({ level: opts.debug ? 'debug' : opts.logLevel, stderr, logFile: opts.logFile }));
      }
      return logger;
    },
  };
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv]);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors are "could not start".
      return error.exitCode === 0 ? EXIT_OK : EXIT_START;
    }
    const debug = Boolean(program.opts<{ debug?: boolean }>().debug);
    return reportFatal(error, debug, (line) => stderr.write(line));
  } finally {
    flushLog();
  }
}
