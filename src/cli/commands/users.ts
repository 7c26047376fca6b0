import { recordCliChange } from '../cli-audit.js';
import { auditDiff } from '../../access/audit-port.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Keyring } from '../../crypto/keyring.js';
import { ROLES, isRole, type Role } from '../../access/permissions.js';
import { createUserWithPassword, inviteUser } from '../../access/users/invite.js';
import { generatedPassword } from '../../access/users/password-rules.js';
import { invitationUrl } from '../../people/invitation-link.js';
import { HOUR } from '../../shared/time.js';
import { configOrExit, guarded } from '../output.js';
import { assertMasterKeyMatches, masterKeyFor, withStore } from '../with-store.js';
import { resolveWorkspace } from './keys.js';

function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`unknown role ${value}; known: ${ROLES.join(', ')}`);
  return value;
}

export function registerUserCommands(program: Command) {
  const users = program.command('users').description('Manage the people who sign in to the console.');
  users
    .command('create')
    .description('Create a user: with a generated password (printed once) or, with --invite, an invitation link.')
    .requiredOption('--email <address>', 'their email address')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .option('--name <name>', 'their name')
    .option('--workspace <id>', 'workspace (default: the only one)')
    .option('--invite', 'print an invitation link instead of a password; they choose their own password')
    .option('--json', 'print JSON')
    .action((options: { email: string; role: Role; name?: string; workspace?: string; invite?: boolean; json?: boolean }) =>
      guarded(async () => {
        const config = configOrExit();
        const master = masterKeyFor(config, 'Users');
        const out = await withStore(config, async (store) => {
          await assertMasterKeyMatches(store, config, master);
          const keyring = new Keyring(store.db, master.key);
          const workspaceId = await resolveWorkspace(store.db, options.workspace);
          const record = (action: string, user: { id: string; role: string; status: string }) => {
            const resource = { type: 'user', id: user.id };
            return recordCliChange(store, { workspaceId, action, resource, diff: auditDiff(resource, undefined, { email: true, ...(options.name ? { name: true } : {}), role: user.role, status: user.status }, ['email', 'name']) });
          };
          if (options.invite) {
            const { user, token, expiresAt } = await inviteUser(store.db, keyring, { workspaceId, email: options.email, name: options.name, role: options.role, invitedBy: 'system:cli', ttlMs: config.invitationTtlHours * HOUR });
            await record('user.invited', user);
            const base = config.publicUrl ?? `http://${config.host}:${config.port}`;
            return { user, invitationUrl: invitationUrl(base, token), expiresAt: new Date(expiresAt).toISOString() };
          }
          const password = generatedPassword();
          const user = await createUserWithPassword(store.db, keyring, { workspaceId, email: options.email, name: options.name, role: options.role, password });
          await record('user.created', user);
          return { user, password };
        });
        if (options.json) {
          process.stdout.write(JSON.stringify({ id: out.user.id, workspaceId: out.user.workspaceId, email: out.user.email, role: out.user.role, status: out.user.status, ...('password' in out ? { password: out.password } : { invitationUrl: out.invitationUrl, expiresAt: out.expiresAt }) }) + '\n');
        } else if ('password' in out) {
          process.stdout.write(`Created ${out.user.id} (${out.user.email}, ${out.user.role}) in ${out.user.workspaceId}.\nPassword (shown once; change it after signing in): ${out.password}\n`);
        } else {
          process.stdout.write(`Invited ${out.user.id} (${out.user.email}, ${out.user.role}) in ${out.user.workspaceId}.\nInvitation link (works once, until ${out.expiresAt}): ${out.invitationUrl}\n`);
        }
      }),
    );
}
