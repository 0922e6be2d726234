import { Option } from 'commander';
import { wholeNumber } from '../arguments.js';
import type { Register } from '../program.js';
import { initMapping } from '../../init/init-mapping.js';
import { MAPPING_ACTIONS, MAPPING_OBJECTS, type MappingAction, type MappingObject } from '../../mapping/types.js';

interface InitFlags {
  object: MappingObject;
  action?: MappingAction;
  out?: string;
  force?: boolean;
  sample: number;
}

/**
 * `wapi-bulk init <file.csv> --object customer`: a mapping to start from. The YAML goes to --out
 * (or stdout); what is left to decide goes to stderr. Exit 0 once the file is written, TODOs or
 * not: they are the point of the file, and `validate` refuses it until they are done.
 */
export const registerInit: Register = (program, context) => {
  program
    .command('init')
    .description('write a mapping to start from: columns matched to fields, transforms, dates, key and match')
    .argument('<file.csv>', 'the CSV to map (its header and a sample of rows are read)')
    .addOption(new Option('--object <object>', 'the kind of record each row becomes').choices([...MAPPING_OBJECTS]).makeOptionMandatory())
    .addOption(new Option('--action <action>', 'add, modify, upsert or delete (default: upsert for customers, add otherwise)').choices([...MAPPING_ACTIONS]))
    .option('--out <file.yaml>', 'write the mapping here (default: print it)')
    .option('--force', 'overwrite --out if it exists')
    .option('--sample <n>', 'rows to read', wholeNumber('--sample', 1), 500)
    .action(async (file: string, flags: InitFlags) => {
      const result = await initMapping({ file, object: flags.object, action: flags.action, out: flags.out, force: flags.force, sampleRows: flags.sample });
      if (result.out === undefined) context.stdout.write(result.text);
      const plan = result.plan;
      const lines = [
        `${result.out ?? 'mapping'}: ${plan.fields.length} fields from ${plan.sampleRows} sample rows, ${plan.unmatched.length} columns not mapped, ${result.todos} TODO to decide`,
      ];
      if (result.problems.length > 0) {
        lines.push(`validate will stop on ${result.problems.length === 1 ? 'this' : `these ${result.problems.length}`} until the TODOs are done:`, ...result.problems.map((p) => `  ${p}`));
      }
      if (flags.out) lines.push(`next: wapi-bulk validate ${file} --mapping ${flags.out}`);
      context.stderr.write(`${lines.join('\n')}\n`);
    });
};
