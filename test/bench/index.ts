/**
 * `npm run bench`: every `*-bench.ts` file of this folder in turn, each exporting
 * `async function run()`. `npm run bench -- import` runs the files whose name contains "import".
 * Benchmarks print figures; they are not tests and assert nothing: emulator, import, export,
 * reconcile (`npm run bench -- reconcile`: reconcile against an export of the same 100,000
 * customers).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('-bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

for (const name of files) {
  process.stdout.write(`\n== ${name}\n`);
  const bench = (await import(pathToFileURL(join(dir, name)).href)) as { run?: () => Promise<unknown> };
  if (typeof bench.run !== 'function') throw new Error(`${name} exports no run()`);
  await bench.run();
}
