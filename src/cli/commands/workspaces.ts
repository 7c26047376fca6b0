import type { Command } from 'commander';
import { createWorkspace, listWorkspaces } from '../../workspaces/workspace-queries.js';
import { configOrExit, guarded, printTable } from '../output.js';
import { withStore } from '../with-store.js';
import { auditDiff } from '../../access/audit-port.js';
import { recordCliChange } from '../cli-audit.js';

export function registerWorkspaceCommands(program: Command) {
  const workspaces = program.command('workspaces').description('Create and list workspaces (tenants).');
  workspaces
    .command('create')
    .description('Create a workspace.')
    .argument('<name>', 'a display name')
    .option('--region <region>', 'data region the workspace is pinned to', 'default')
    .option('--json', 'print the workspace as JSON')
    .action((name: string, options: { region: string; json?: boolean }) =>
      guarded(async () => {
        const ws = await withStore(configOrExit(), async (store) => {
          const created = await createWorkspace(store.db, { name, region: options.region });
          const resource = { type: 'workspace', id: created.id };
          await recordCliChange(store, { workspaceId: created.id, action: 'workspace.created', resource, diff: auditDiff(resource, undefined, { name: created.name, region: created.region }) });
          return created;
        });
        process.stdout.write(options.json ? JSON.stringify(ws) + '\n' : `Created workspace ${ws.id} (${ws.name}).\n`);
      }),
    );
  workspaces
    .command('list')
    .description('List workspaces.')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      guarded(async () => {
        const rows = await withStore(configOrExit(), (store) => listWorkspaces(store.db));
        if (options.json) process.stdout.write(JSON.stringify(rows) + '\n');
        else printTable(rows.map((w) => ({ id: w.id, name: w.name, region: w.region, created: new Date(w.createdAt).toISOString() })));
      }),
    );
}
