import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { Config } from '../../config/load.js';
import { Keyring } from '../../crypto/keyring.js';
import { parseMasterKey, readOrGenerateMasterKey } from '../../crypto/master-key.js';
import { auditedWorkspaces, checkpointKey, listCheckpoints } from '../../audit/checkpoints.js';
import type { Checkpoint } from '../../audit/hash.js';
import { verifyWorkspace } from '../../audit/verify-workspace.js';
import type { ChainReport } from '../../audit/verify.js';
import { configOrExit, fail, guarded } from '../output.js';
import { assertMasterKeyMatches, withStore } from '../with-store.js';
import { resolveWorkspace } from './keys.js';

/** The master key checkpoints were signed under; never a new one (nothing could verify against it). */
function masterKeyFor(config: Config): { key: Buffer } {
  if (config.masterKey) return { key: parseMasterKey(config.masterKey) };
  const found = readOrGenerateMasterKey(config.dataDir);
  if (found.generated) fail('No master key is configured or in the data directory: checkpoints are signed with a key derived from it. Set PARLEY_MASTER_KEY.');
  return { key: found.key };
}

/** Checkpoints exported as JSON lines (`parley audit checkpoints`, or the items of GET /v1/audit/checkpoints). */
function readCheckpointFile(file: string): Checkpoint[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`Cannot read ${file}: ${(error as Error).message}`);
  }
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      const c = JSON.parse(line) as Checkpoint;
      if (typeof c !== 'object' || c === null || typeof c.workspaceId !== 'string' || !Number.isSafeInteger(c.seq)) throw new Error('not a checkpoint');
      return [c];
    } catch {
      fail(`${file}, line ${i + 1}: not a checkpoint as \`parley audit checkpoints\` writes them (one JSON object per line).`);
    }
  });
}

function describe(report: ChainReport): string {
  const range = report.entries ? `entries ${report.lastSeq - report.entries + 1} to ${report.lastSeq}` : 'no entries';
  const start = report.start.seq ? ` (starting after entry ${report.start.seq}, purged before)` : '';
  if (report.ok) return `ok      ${report.workspaceId}: ${range}${start}, ${report.checkpoints} checkpoint(s) agree.\n`;
  const p = report.problem!;
  return `FAILED  ${report.workspaceId}: ${p.reason}${p.seq === null ? '' : ` at entry ${p.seq}`}${p.id ? ` (${p.id})` : ''}. ${p.message}\n`;
}

export function registerAuditCommands(program: Command) {
  const audit = program.command('audit').description('Check and export the audit trail.');
  audit
    .command('verify')
    .description('Recompute each workspace\'s audit chain and check it against its signed checkpoints (and those in --checkpoints); names the first bad entry. Exit status 1 when a chain fails.')
    .option('--workspace <id>', 'only this workspace (default: every workspace with an audit trail)')
    .option('--checkpoints <file>', 'checkpoints kept elsewhere, as JSON lines (`parley audit checkpoints`): a chain cut short of one fails')
    .option('--json', 'print one JSON report per workspace')
    .action((options: { workspace?: string; checkpoints?: string; json?: boolean }) =>
      guarded(async () => {
        const config = configOrExit();
        const master = masterKeyFor(config);
        const exported = options.checkpoints ? readCheckpointFile(options.checkpoints) : [];
        const reports = await withStore(config, async (store) => {
          await assertMasterKeyMatches(store, config, master);
          const key = checkpointKey(new Keyring(store.db, master.key));
          const ids = options.workspace
            ? [await resolveWorkspace(store.db, options.workspace)]
            : [...new Set([...(await auditedWorkspaces(store.db)), ...exported.map((c) => c.workspaceId)])].sort();
          const out: ChainReport[] = [];
          for (const id of ids) out.push(await verifyWorkspace(store.db, key, id, exported));
          return out;
        });
        for (const report of reports) process.stdout.write(options.json ? JSON.stringify(report) + '\n' : describe(report));
        if (!options.json && reports.length === 0) process.stdout.write('No audit trail yet.\n');
        if (reports.some((r) => !r.ok)) process.exitCode = 1;
      }),
    );
  audit
    .command('checkpoints')
    .description('Print the signed checkpoints of the audit chains as JSON lines, to keep outside Parley (`parley audit verify --checkpoints <file>` reads them back).')
    .option('--workspace <id>', 'only this workspace (default: every workspace with an audit trail)')
    .action((options: { workspace?: string }) =>
      guarded(async () => {
        await withStore(configOrExit(), async (store) => {
          const ids = options.workspace ? [await resolveWorkspace(store.db, options.workspace)] : await auditedWorkspaces(store.db);
          for (const id of ids) for (const c of await listCheckpoints(store.db, id)) process.stdout.write(JSON.stringify(c) + '\n');
        });
      }),
    );
}
