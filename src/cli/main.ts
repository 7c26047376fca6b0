import { Command } from 'commander';
import { registerRunCommands } from './commands/run-commands.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerUserCommands } from './commands/users.js';
import { registerWorkspaceCommands } from './commands/workspaces.js';
import { registerTemplateCommands } from './commands/templates.js';
import { registerContactCommands } from './commands/contacts.js';
import { registerSenderCommands } from './commands/senders.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerAgentCommands } from './commands/agents.js';
import { registerConversationCommands } from './commands/conversations.js';
import { registerFlowCommands } from './commands/flows.js';

/** Builds the `parley` command tree. Each command group registers itself from `commands/`. */
export function buildProgram(): Command {
  const program = new Command('parley')
    .description('Parley: self-hosted WhatsApp conversations. Configuration comes from environment variables (see README).')
    .showHelpAfterError('(run with --help for usage)');
  registerRunCommands(program);
  registerMigrateCommand(program);
  registerKeyCommands(program);
  registerUserCommands(program);
  registerWorkspaceCommands(program);
  registerTemplateCommands(program);
  registerContactCommands(program);
  registerSenderCommands(program);
  registerEmulatorCommand(program);
  registerWebhookCommands(program);
  registerAuditCommands(program);
  registerAgentCommands(program);
  registerConversationCommands(program);
  registerFlowCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
