/**
 * Ctrl-C (SIGINT) and SIGTERM, taken the same way by every long-running command: `handler` runs
 * on each until the returned function removes it. With `once`, each signal is handled the first
 * time only, so a second Ctrl-C falls to Node's default and ends the process at once.
 */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void, options: { once?: boolean } = {}): () => void {
  const add = options.once === true ? process.once.bind(process) : process.on.bind(process);
  add('SIGINT', handler);
  add('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
