import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { userStanding, userStandings } from '../../access/users/user-queries.js';
import { agentsOf, openLoads, setPresence } from '../../conversations/assignment/agent-queries.js';
import { PRESENCES, mayHoldConversations, type Presence } from '../../conversations/assignment/policy.js';
import { recordCliChange } from '../cli-audit.js';
import { configOrExit, fail, guarded, printTable } from '../output.js';
import { withStore } from '../with-store.js';
import { resolveWorkspace } from './keys.js';

function parsePresence(value: string): Presence {
  if (!(PRESENCES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown presence ${value}; known: ${PRESENCES.join(', ')}`);
  return value as Presence;
}

/**
 * `parley agents`: who may hold conversations, their presence, capacity and open load, and setting a
 * presence (a person forgot to go offline). A running worker's assignment sweep gives waiting
 * conversations to an agent set online within seconds.
 */
export function registerAgentCommands(program: Command) {
  const agents = program.command('agents').description('The people who hold conversations: presence, capacity, open load.');
  agents
    .command('list')
    .description('List agents, supervisors and admins who may hold conversations, with presence, capacity (empty: their team policy\'s) and open load.')
    .option('--workspace <id>', 'workspace (default: the only one)')
    .option('--json', 'print JSON')
    .action((o: { workspace?: string; json?: boolean }) =>
      guarded(async () => {
        const rows = await withStore(configOrExit(), async (store) => {
          const workspaceId = await resolveWorkspace(store.db, o.workspace);
          const users = (await userStandings(store.db, workspaceId)).filter(mayHoldConversations);
          const ids = users.map((u) => u.id);
          const [rows, loads] = await Promise.all([agentsOf(store.db, workspaceId, ids), openLoads(store.db, workspaceId, ids)]);
          return users.map((u) => ({ userId: u.id, role: u.role, teams: u.teams, presence: rows.get(u.id)!.presence, capacity: rows.get(u.id)!.capacity, openLoad: loads.get(u.id) ?? 0 }));
        });
        if (o.json) process.stdout.write(JSON.stringify(rows) + '\n');
        else printTable(rows.map((r) => ({ ...r, teams: r.teams.join(',') })));
      }),
    );
  agents
    .command('presence')
    .description(`Set a person's presence (${PRESENCES.join(', ')}): only online agents receive work; a running worker assigns waiting conversations within seconds.`)
    .argument('<userId>', 'the user')
    .argument('<presence>', PRESENCES.join(' | '), parsePresence)
    .option('--workspace <id>', 'workspace (default: the only one)')
    .action((userId: string, presence: Presence, o: { workspace?: string }) =>
      guarded(async () => {
        await withStore(configOrExit(), async (store) => {
          const workspaceId = await resolveWorkspace(store.db, o.workspace);
          const user = await userStanding(store.db, workspaceId, userId);
          if (!user || !mayHoldConversations(user)) fail(`No active agent, supervisor or admin ${userId} in ${workspaceId}. List them with \`parley agents list\`.`);
          const before = (await agentsOf(store.db, workspaceId, [userId])).get(userId)!;
          await setPresence(store.db, workspaceId, userId, presence, Date.now());
          await recordCliChange(store, { workspaceId, action: 'agent.presence_changed', resource: { type: 'agent', id: userId }, diff: { presence: { from: before.presence, to: presence } } });
        });
        process.stdout.write(`${userId} is ${presence}.\n`);
      }),
    );
}
