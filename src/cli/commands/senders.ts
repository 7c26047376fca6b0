import { isProviderName, PROVIDER_NAMES, type ProviderName } from '../../channels/provider-name.js';
import { senderNumberId, senderRulesOf, type SenderSetting } from '../../channels/sender-identity.js';

/** A sender setting as its command-line option: `phoneNumberId` → `--phone-number-id`. */
const flagOf = (setting: SenderSetting): string => `--${setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** `a`, `a and b`, `a, b and c`. */
const listOf = (items: string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Keyring } from '../../crypto/keyring.js';
import { loadOrCreateMasterKey } from '../../crypto/master-key.js';
import { createSender, listSenders } from '../../senders/sender-queries.js';
import { DEFAULT_BASE_URL, DEFAULT_MPS } from '../../senders/provider-defaults.js';
import { auditedSender, presentSender, SENDER_SECRET_FIELDS } from '../../senders/routes.js';
import { auditDiff } from '../../access/audit-port.js';
import { recordCliChange } from '../cli-audit.js';
import { listSenderHealth } from '../../senders/sender-health.js';
import { configOrExit, fail, guarded, printTable } from '../output.js';
import { assertMasterKeyMatches, withStore } from '../with-store.js';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

interface AddOptions {
  workspace: string;
  name: string;
  provider: ProviderName;
  baseUrl?: string;
  graphVersion?: string;
  phoneNumberId?: string;
  wabaId?: string;
  instanceId?: string;
  accessToken?: string;
  token?: string;
  mps?: number;
  messagingLimit?: number;
  json?: boolean;
}

export function registerSenderCommands(program: Command) {
  const senders = program.command('senders').description('Manage sender numbers (Cloud API or UltraMsg).');
  senders
    .command('add')
    .description('Add a sender number. Credentials are encrypted at rest and never printed.')
    .requiredOption('--workspace <id>', 'workspace')
    .requiredOption('--name <name>', 'a label')
    .requiredOption('--provider <provider>', 'cloud or ultramsg', (v) => {
      if (!isProviderName(v)) throw new InvalidArgumentError(`expected ${PROVIDER_NAMES.join(' or ')}`);
      return v;
    })
    .option('--base-url <url>', 'provider base URL (the emulator\'s URL for local runs)')
    .option('--graph-version <version>', 'Graph API version, e.g. v23.0')
    .option('--phone-number-id <id>', 'Cloud API phone number id')
    .option('--waba-id <id>', 'Cloud API WhatsApp Business Account id')
    .option('--instance-id <id>', 'UltraMsg instance id')
    .option('--access-token <token>', 'Cloud API token')
    .option('--token <token>', 'UltraMsg token')
    .option('--mps <n>', 'throughput cap, messages per second', positiveInt)
    .option('--messaging-limit <n>', 'unique recipients per 24 h (tier)', positiveInt)
    .option('--json', 'print JSON')
    .action((o: AddOptions) =>
      guarded(async () => {
        const rules = senderRulesOf(o.provider);
        if (rules.required.some((setting) => !o[setting])) fail(`${/^[aeiou]/.test(o.provider) ? 'An' : 'A'} ${o.provider} sender needs ${listOf(rules.required.map(flagOf))}.`);
        const config = configOrExit();
        const master = loadOrCreateMasterKey(config.masterKey, config.dataDir);
        const sender = await withStore(config, async (store) => {
          await assertMasterKeyMatches(store, config, master);
          const created = await createSender(store.db, new Keyring(store.db, master.key), {
            workspaceId: o.workspace,
            name: o.name,
            provider: o.provider,
            baseUrl: o.baseUrl ?? DEFAULT_BASE_URL[o.provider],
            graphVersion: rules.usesGraphVersion ? (o.graphVersion ?? config.graphVersion) : null,
            phoneNumberId: o.phoneNumberId,
            wabaId: o.wabaId,
            instanceId: o.instanceId,
            credentials: rules.credentials(o),
            mps: o.mps ?? DEFAULT_MPS[o.provider],
            messagingLimit: o.messagingLimit ?? null,
          });
          const resource = { type: 'sender', id: created.id };
          await recordCliChange(store, { workspaceId: created.workspaceId, action: 'sender.created', resource, diff: auditDiff(resource, undefined, { ...auditedSender(created), credentials: true }, SENDER_SECRET_FIELDS) });
          return created;
        });
        process.stdout.write(o.json ? JSON.stringify(presentSender(sender)) + '\n' : `Added sender ${sender.id} (${sender.provider}).\n`);
      }),
    );
  senders
    .command('list')
    .description('List sender numbers.')
    .option('--workspace <id>', 'only this workspace')
    .option('--json', 'print JSON')
    .action((o: { workspace?: string; json?: boolean }) =>
      guarded(async () => {
        const [rows, health] = await withStore(configOrExit(), async (store) => [await listSenders(store.db, o.workspace), await listSenderHealth(store.db, o.workspace)] as const);
        if (o.json) process.stdout.write(JSON.stringify(rows.map((s) => presentSender(s, health.get(s.id)))) + '\n');
        else printTable(rows.map((s) => ({ id: s.id, workspace: s.workspaceId, name: s.name, provider: s.provider, number: senderNumberId(s) ?? null, mps: s.mps, tier: s.messagingLimit ?? 'unlimited', status: s.status, health: health.get(s.id)?.state ?? 'ok' })));
      }),
    );
}
