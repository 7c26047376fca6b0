import { recordCliChange } from '../cli-audit.js';
import { auditDiff } from '../../access/audit-port.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Db } from '../../db/database.js';
import { Keyring } from '../../crypto/keyring.js';
import { loadOrCreateMasterKey } from '../../crypto/master-key.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../access/api-key-queries.js';
import { getWorkspace, listWorkspaces } from '../../workspaces/workspace-queries.js';
import { SCOPES, isScope, type Scope } from '../../access/scopes.js';
import { configOrExit, fail, guarded, printTable } from '../output.js';
import { assertMasterKeyMatches, withStore } from '../with-store.js';

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length || scopes.length === 0) throw new InvalidArgumentError(`unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
  return scopes as Scope[];
}

/** The named workspace, or the only one when there is exactly one. */
export async function resolveWorkspace(db: Db, id: string | undefined): Promise<string> {
  if (id) {
    if (!(await getWorkspace(db, id))) fail(`No workspace ${id}. List them with \`parley workspaces list\`.`);
    return id;
  }
  const all = await listWorkspaces(db);
  if (all.length === 1) return all[0].id;
  fail(all.length === 0 ? 'No workspace yet. Run `parley start` once, or `parley workspaces create <name>`.' : 'Several workspaces exist: name one with --workspace <id>.');
}

export function registerKeyCommands(program: Command) {
  const keys = program.command('keys').description('Manage API keys and encryption keys.');
  keys
    .command('create')
    .description('Create an API key. The key is printed once; only its hash is stored.')
    .requiredOption('--scopes <list>', `comma-separated scopes: ${SCOPES.join(', ')}`, parseScopes)
    .option('--name <name>', 'a label to tell keys apart', 'cli')
    .option('--workspace <id>', 'workspace (default: the only one)')
    .option('--json', 'print JSON')
    .action((options: { scopes: Scope[]; name: string; workspace?: string; json?: boolean }) =>
      guarded(async () => {
        const { key, info } = await withStore(configOrExit(), async (store) => {
          const workspaceId = await resolveWorkspace(store.db, options.workspace);
          const created = await createApiKey(store.db, { workspaceId, name: options.name, scopes: options.scopes });
          const resource = { type: 'api_key', id: created.info.id };
          await recordCliChange(store, { workspaceId, action: 'api_key.created', resource, diff: auditDiff(resource, undefined, { name: created.info.name, scopes: created.info.scopes, key: true }, ['key']) });
          return created;
        });
        if (options.json) process.stdout.write(JSON.stringify({ ...info, key }) + '\n');
        else process.stdout.write(`Created ${info.id} (${info.prefix}, scopes ${info.scopes.join(',')}) in ${info.workspaceId}.\nKey (shown once): ${key}\n`);
      }),
    );
  keys
    .command('list')
    .description('List API keys (never their secrets).')
    .option('--workspace <id>', 'only this workspace')
    .option('--json', 'print JSON')
    .action((options: { workspace?: string; json?: boolean }) =>
      guarded(async () => {
        const rows = await withStore(configOrExit(), (store) => listApiKeys(store.db, options.workspace));
        if (options.json) process.stdout.write(JSON.stringify(rows) + '\n');
        else
          printTable(rows.map((k) => ({ id: k.id, workspace: k.workspaceId, prefix: k.prefix, name: k.name, scopes: k.scopes.join(','), lastUsed: k.lastUsedAt ? new Date(k.lastUsedAt).toISOString() : '', revoked: k.revokedAt ? new Date(k.revokedAt).toISOString() : '' })));
      }),
    );
  keys
    .command('revoke')
    .description('Revoke an API key; it stops working at once.')
    .argument('<id>', 'the key id (key_...)')
    .action((id: string) =>
      guarded(async () => {
        const found = await withStore(configOrExit(), async (store) => {
          const key = (await listApiKeys(store.db)).find((k) => k.id === id);
          if (!key) return false;
          await revokeApiKey(store.db, id);
          // Revoking a revoked key changes nothing: nothing to record.
          if (key.revokedAt === null) await recordCliChange(store, { workspaceId: key.workspaceId, action: 'api_key.revoked', resource: { type: 'api_key', id } });
          return true;
        });
        if (!found) fail(`No API key ${id}. List them with \`parley keys list\`.`);
        process.stdout.write(`Revoked ${id}.\n`);
      }),
    );
  keys
    .command('rotate-data-key')
    .description('Start encrypting a workspace\'s data with a new data key. Old data stays readable; nothing stops.')
    .option('--workspace <id>', 'workspace (default: the only one)')
    .action((options: { workspace?: string }) =>
      guarded(async () => {
        const config = configOrExit();
        const master = loadOrCreateMasterKey(config.masterKey, config.dataDir);
        if (master.generated) fail('No master key was configured or found in the data directory; there is no data to rotate. Set PARLEY_MASTER_KEY.');
        const id = await withStore(config, async (store) => {
          await assertMasterKeyMatches(store, config, master);
          const workspaceId = await resolveWorkspace(store.db, options.workspace);
          const keyId = await new Keyring(store.db, master.key).rotate(workspaceId);
          await recordCliChange(store, { workspaceId, action: 'data_key.rotated', resource: { type: 'data_key', id: keyId }, diff: { active: { to: true } } });
          return keyId;
        });
        process.stdout.write(`New data key ${id} is active. Running processes switch to it within a minute.\n`);
      }),
    );
}
