import type { Command } from 'commander';
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { Keyring } from '../../crypto/keyring.js';
import { csvField, readCsv } from '../../contacts/csv.js';
import { importContacts, type ImportReport } from '../../contacts/import-contacts.js';
import { configOrExit, fail, guarded } from '../output.js';
import { assertMasterKeyMatches, masterKeyFor, withStore } from '../with-store.js';
import { ProgressLine } from '../progress.js';
import { resolveWorkspace } from './keys.js';
import { consentLedger } from '../../consent/ledger-queries.js';
import { recordCliChange } from '../cli-audit.js';

/** Counts the data rows of a CSV file (a quick first pass, so progress can show a total). */
async function countRows(file: string): Promise<number> {
  let rows = -1;
  for await (const record of readCsv(createReadStream(file))) if (record.fields.some((f) => f.trim() !== '')) rows++;
  return Math.max(rows, 0);
}

const MAX_ERRORS_SHOWN = 20;

function summary(report: ImportReport): string {
  const lines = [
    `Imported ${(report.created + report.updated).toLocaleString('en-US')} of ${report.total.toLocaleString('en-US')} rows: ${report.created.toLocaleString('en-US')} created, ${report.updated.toLocaleString('en-US')} updated, ${report.failed.toLocaleString('en-US')} failed.`,
  ];
  if (report.consentRecords) lines.push(`Recorded ${report.consentRecords.toLocaleString('en-US')} consent changes (source import).`);
  if (report.attributeColumns.length) lines.push(`Columns imported as custom attributes: ${report.attributeColumns.join(', ')}.`);
  for (const e of report.errors.slice(0, MAX_ERRORS_SHOWN)) lines.push(`  row ${e.row}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
  if (report.failed > MAX_ERRORS_SHOWN) lines.push(`  ... and ${(report.failed - MAX_ERRORS_SHOWN).toLocaleString('en-US')} more (write them all with --errors <file.csv>).`);
  return lines.join('\n') + '\n';
}

export function registerContactCommands(program: Command) {
  const contacts = program.command('contacts').description('Manage contacts: bulk import from CSV.');
  contacts
    .command('import')
    .description(
      'Import contacts from a CSV file (header row first: phone, country, wa_id, name, email, language, time_zone, tags, consent.<purpose>.<channel>, consent_at, consent_wording, attr.<key>; other columns become attributes). ' +
        'Bad rows are reported (row, column, what is wrong) and skipped; the rest are imported. Known numbers are updated. Exit status: 0 all rows imported, 2 some rows failed, 1 nothing could be imported.',
    )
    .argument('<file>', 'the CSV file (UTF-8; comma, semicolon or tab separated)')
    .option('--workspace <id>', 'workspace (default: the only one)')
    .option('--country <code>', 'country of national numbers without a country column value (e.g. BR)', (v: string) => {
      if (!/^[A-Za-z]{2}$/.test(v)) throw new InvalidArgumentError('a two-letter country code, e.g. BR');
      return v.toUpperCase();
    })
    .option('--errors <file>', 'write every failed row (row, column, message) to this CSV file')
    .option('--batch-size <n>', 'rows per transaction', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('an integer from 1 to 10000');
      return n;
    }, 1000)
    .option('--json', 'print the report as JSON on standard output')
    .action((file: string, options: { workspace?: string; country?: string; errors?: string; batchSize: number; json?: boolean }) =>
      guarded(async () => {
        if (!existsSync(file)) fail(`No file ${file}.`);
        const config = configOrExit();
        const master = masterKeyFor(config, 'Contacts');
        const total = await countRows(file);
        const report = await withStore(config, async (store) => {
          await assertMasterKeyMatches(store, config, master);
          const workspaceId = await resolveWorkspace(store.db, options.workspace);
          const progress = new ProgressLine(process.stderr, 'Importing contacts', total);
          const result = await importContacts(store.db, new Keyring(store.db, master.key), workspaceId, readCsv(createReadStream(file)), {
            defaultCountry: options.country,
            consentLedger,
            batchSize: options.batchSize,
            actor: { type: 'system', id: 'cli:contacts-import' },
            maxErrors: options.errors ? Number.MAX_SAFE_INTEGER : 10_000,
            onProgress: (p) => progress.update(p.done, `${p.failed.toLocaleString('en-US')} failed`),
          });
          progress.update(result.done, `${result.failed.toLocaleString('en-US')} failed`, true);
          // One entry for the import, as the API records it: the counts, never the rows' values.
          await recordCliChange(store, { workspaceId, action: 'contact.imported', resource: { type: 'contact', id: null }, diff: { imported: { to: { total: result.total, created: result.created, updated: result.updated, failed: result.failed, consentRecords: result.consentRecords } } } });
          return result;
        });
        if (options.errors) {
          writeFileSync(options.errors, ['row,column,message', ...report.errors.map((e) => [e.row, csvField(e.column), csvField(e.message)].join(','))].join('\n') + '\n');
        }
        process.stdout.write(options.json ? JSON.stringify(report) + '\n' : summary(report));
        if (report.failed > 0) process.exitCode = 2;
      }),
    );
}
