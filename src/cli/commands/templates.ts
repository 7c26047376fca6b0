import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { lintFolder, type FileResult } from '../../templates/lint/lint-folder.js';
import { lintOptionsFrom } from '../../templates/lint/lint-options.js';
import { LINT_RULES } from '../../templates/lint/rules/index.js';
import { listAllTemplates } from '../../templates/store/template-queries.js';
import { listWorkspaces } from '../../workspaces/workspace-queries.js';
import { configOrExit, fail, guarded, printTable } from '../output.js';
import { withStore } from '../with-store.js';

/** The file as the user named it: relative to the working directory when inside it. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function printFindings(results: FileResult[]): void {
  for (const r of results) {
    const where = `${display(r.file)}${r.index !== undefined ? `[${r.index}]` : ''}`;
    for (const f of r.findings) {
      process.stdout.write(`${where}: ${f.severity} ${f.ruleId} at ${f.path}: ${f.message}\n    fix: ${f.fix}\n`);
    }
  }
}

/** `--min-words-per-variable`, with the same bounds as PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE. */
function ratioOption(raw: string): number {
  const ratio = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 100) fail(`--min-words-per-variable must be a number from 0 to 100, e.g. 3; it is "${raw}".`);
  return ratio;
}

export function registerTemplateCommands(program: Command) {
  const templates = program.command('templates').description('WhatsApp message templates: lint template files, list lint rules and stored templates.');
  templates
    .command('lint')
    .description(
      'Lint template files before they reach the provider. Reads every .json file in the folder (and subfolders): one template per file, ' +
        'or an array, in Meta\'s create-body shape {"name","language","category","components":[...]}. Prints file, rule id, message and fix; exits 1 on any error.',
    )
    .argument('<folder>', 'folder (or one file) of template JSON files')
    .option('--json', 'print the results as one JSON document')
    .option('--fail-on-warning', 'also exit 1 when there are warnings')
    .option('--min-words-per-variable <n>', 'variable-density: words of fixed text per placeholder before a warning (default: PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE, else 2; 0 turns it off)')
    .action((folder: string, options: { json?: boolean; failOnWarning?: boolean; minWordsPerVariable?: string }) =>
      guarded(async () => {
        if (!existsSync(folder)) fail(`No such folder or file: ${folder}.`);
        const configured = lintOptionsFrom(configOrExit());
        const lint = options.minWordsPerVariable === undefined ? configured : { ...configured, minWordsPerVariable: ratioOption(options.minWordsPerVariable) };
        const results = lintFolder(folder, lint);
        const all = results.flatMap((r) => r.findings);
        const errors = all.filter((f) => f.severity === 'error').length;
        const warnings = all.length - errors;
        if (options.json) {
          process.stdout.write(JSON.stringify({ files: results.map((r) => ({ ...r, file: display(r.file) })), errors, warnings }) + '\n');
        } else {
          printFindings(results);
          process.stdout.write(`${results.length} template(s) checked: ${errors} error(s), ${warnings} warning(s).\n`);
        }
        if (results.length === 0) fail(`No .json template files in ${folder}.`);
        if (errors > 0 || (options.failOnWarning && warnings > 0)) process.exitCode = 1;
      }),
    );
  templates
    .command('rules')
    .description('List the lint rules with their ids (acknowledge warnings by id when submitting).')
    .action(() => printTable(LINT_RULES.map((r) => ({ id: r.id, rule: r.description }))));
  templates
    .command('list')
    .description('List the templates stored in a workspace with their provider status.')
    .option('--workspace <id>', 'workspace (default: every workspace)')
    .option('--json', 'print JSON')
    .action((options: { workspace?: string; json?: boolean }) =>
      guarded(async () => {
        const rows = await withStore(configOrExit(), async (store) => {
          const workspaces = options.workspace ? [options.workspace] : (await listWorkspaces(store.db)).map((w) => w.id);
          return (await Promise.all(workspaces.map((w) => listAllTemplates(store.db, w)))).flat();
        });
        if (options.json) process.stdout.write(JSON.stringify(rows) + '\n');
        else printTable(rows.map((t) => ({ id: t.id, waba: t.wabaId, name: t.name, language: t.language, category: t.category, status: t.providerStatus ?? (t.submittedVersionId ? 'SUBMITTED' : 'DRAFT'), quality: t.quality ?? '', version: t.latestVersion })));
      }),
    );
}
