import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FlowDefinition } from '../../bot/flow-schema.js';
import { simulate } from '../../bot/simulate.js';
import { validateFlow } from '../../bot/validate-flow.js';
import { fail, guarded } from '../output.js';

/** A flow file: `.json` is JSON, anything else YAML (which reads JSON too). */
function readFlow(file: string): unknown {
  if (!existsSync(file)) fail(`No such flow file: ${file}.`);
  const text = readFileSync(file, 'utf8');
  try {
    return path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return fail(`${file} is not valid ${path.extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function registerFlowCommands(program: Command) {
  const flows = program.command('flows').description('Bot flows: check a flow file and play dialogue scripts against it (no database needed).');
  flows
    .command('test')
    .description(
      'Validate a flow file (JSON or YAML) and play dialogue scripts against it with a fake clock. Prints each problem with its node and field, ' +
        'then each script\'s transcript and its failed expectations with their lines. Exits 1 on a problem, a script error or a failed expectation. ' +
        'The script format is described in docs/bot-flows.md.',
    )
    .argument('<file>', 'the flow file (.json, .yaml or .yml)')
    .requiredOption('--script <dialogue...>', 'one or more dialogue scripts to play')
    .option('--now <iso>', 'the fake clock\'s start when a script has no start: header (default: now)')
    .action((file: string, options: { script: string[]; now?: string }) =>
      guarded(async () => {
        const now = options.now ?? new Date().toISOString();
        if (Number.isNaN(Date.parse(now))) fail(`--now must be an ISO date-time, e.g. 2026-12-07T09:00:00Z; it is "${now}".`);
        const flow = readFlow(file);
        const problems = validateFlow(flow);
        if (problems.length > 0) {
          for (const p of problems) process.stdout.write(`${file}: ${p.node ? `node ${p.node}, ` : ''}${p.field}: ${p.message}\n`);
          process.stdout.write(`${problems.length} problem(s) in the flow; no script was played.\n`);
          process.exitCode = 1;
          return;
        }
        let failed = 0;
        for (const scriptFile of options.script) {
          if (!existsSync(scriptFile)) fail(`No such script: ${scriptFile}.`);
          process.stdout.write(`== ${scriptFile}\n`);
          const result = simulate(flow as FlowDefinition, readFileSync(scriptFile, 'utf8'), { now });
          if (!result.ok) {
            for (const e of result.scriptErrors) process.stdout.write(`${scriptFile}:${e.line}: ${e.message}\n`);
            process.stdout.write(`${result.scriptErrors.length} error(s) in the script; it was not played.\n`);
            failed++;
            continue;
          }
          for (const line of result.transcript) process.stdout.write(`${line}\n`);
          for (const f of result.failures) process.stdout.write(`${scriptFile}:${f.line}: ${f.message}\n`);
          process.stdout.write(result.failures.length ? `FAILED: ${result.failures.length} failure(s).\n` : 'passed.\n');
          if (result.failures.length) failed++;
        }
        if (failed > 0) process.exitCode = 1;
      }),
    );
}
