import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { listConversations } from '../../conversations/conversation-store.js';
import { CONVERSATION_STATES } from '../../conversations/state-machine.js';
import { configOrExit, guarded, printTable } from '../output.js';
import { withStore } from '../with-store.js';
import { resolveWorkspace } from './keys.js';

const parseState = (value: string) => {
  if (!(CONVERSATION_STATES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown state ${value}; known: ${CONVERSATION_STATES.join(', ')}`);
  return value;
};
const parseLimit = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
};

/** `parley conversations`: the workspace's conversations, newest first (ids, states, owners, teams; no customer data). */
export function registerConversationCommands(program: Command) {
  const conversations = program.command('conversations').description('Inspect conversations.');
  conversations
    .command('list')
    .description('List conversations, newest first: state, owner, team, when the customer has been waiting since.')
    .option('--workspace <id>', 'workspace (default: the only one)')
    .option('--state <state>', CONVERSATION_STATES.join(' | '), parseState)
    .option('--team <teamId>', 'only this team\'s')
    .option('--owner <userId>', 'only this person\'s')
    .option('--limit <n>', 'at most this many (default 50)', parseLimit)
    .option('--json', 'print JSON')
    .action((o: { workspace?: string; state?: string; team?: string; owner?: string; limit?: number; json?: boolean }) =>
      guarded(async () => {
        const rows = await withStore(configOrExit(), async (store) => {
          const workspaceId = await resolveWorkspace(store.db, o.workspace);
          return listConversations(store.db, workspaceId, { teams: { kind: 'all' }, limit: o.limit ?? 50, ...(o.state ? { state: o.state } : {}), ...(o.team ? { teamId: o.team } : {}), ...(o.owner ? { ownerUserId: o.owner } : {}) });
        });
        const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
        const out = rows.map((c) => ({ id: c.id, state: c.state, owner: c.owner.type === 'user' ? c.owner.userId : c.owner.type, team: c.teamId, sender: c.senderId, contact: c.contactId, cycle: c.cycle, waitingSince: iso(c.waitingSince), createdAt: iso(c.createdAt) }));
        if (o.json) process.stdout.write(JSON.stringify(out) + '\n');
        else printTable(out);
      }),
    );
}
