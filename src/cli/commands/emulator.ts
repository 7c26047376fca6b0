import type { Command } from 'commander';
import { EmulatorConfigError, loadEmulatorConfigFile, startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { fail } from '../output.js';

interface EmulatorOptions {
  host: string;
  port: string;
  webhookUrl?: string;
  ultramsgWebhookUrl?: string;
  appSecret?: string;
  config?: string;
  seed?: string;
  json?: boolean;
}

function banner(running: RunningEmulator): string {
  const { info } = running;
  return [
    `WhatsApp emulator listening on ${info.url}`,
    `  Cloud API:        ${info.url}/v21.0/{phone_number_id}/messages   (Authorization: Bearer ${info.accessToken})`,
    `  Phone number ids: ${info.phoneNumberIds.join(', ')}   WABA id: ${info.wabaId}`,
    `  App secret:       ${info.appSecret}   (signs X-Hub-Signature-256)`,
    `  UltraMsg:         ${info.url}/{instance_id}/messages/chat?token=${info.ultramsgToken}   instances: ${info.ultramsgInstanceIds.join(', ')}`,
    `  Webhooks to:      Cloud ${running.core.urls.cloud ?? '(not set)'}, UltraMsg ${running.core.urls.ultramsg ?? '(not set)'}`,
    `  Control API:      ${info.url}/_emulator/info, /_emulator/stats, /_emulator/customers/{phone}/messages ...`,
    `  Seed:             ${running.seed}`,
  ].join('\n') + '\n';
}

async function run(options: EmulatorOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535, got "${options.port}".`);
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) fail(`--seed must be an integer, got "${options.seed}".`);
  for (const [flag, url] of [['--webhook-url', options.webhookUrl], ['--ultramsg-webhook-url', options.ultramsgWebhookUrl]] as const) {
    if (url !== undefined && !/^https?:\/\//.test(url)) fail(`${flag} must be an http(s) URL, got "${url}".`);
  }
  let running: RunningEmulator;
  try {
    const config = options.config ? loadEmulatorConfigFile(options.config) : {};
    running = await startEmulator({
      host: options.host,
      port,
      appSecret: options.appSecret,
      cloudWebhookUrl: options.webhookUrl,
      ultramsgWebhookUrl: options.ultramsgWebhookUrl,
      config,
      seed,
      onError: (error) => process.stderr.write(`emulator error: ${(error as Error)?.stack ?? error}\n`),
    });
  } catch (error) {
    if (error instanceof EmulatorConfigError) fail(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`port ${port} on ${options.host} is already in use: pick another with --port (0 picks a free one).`);
    throw error;
  }
  process.stdout.write(options.json ? JSON.stringify(running.info) + '\n' : banner(running));
  let exiting = false;
  const shutdown = () => {
    if (exiting) return;
    exiting = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

export function registerEmulatorCommand(program: Command) {
  program
    .command('emulator')
    .description(
      'Run the WhatsApp emulator alone: Meta Cloud API (at the root, like graph.facebook.com) and UltraMsg (/{instance_id}/...), ' +
        'with signed webhooks, Meta\'s limits and errors, simulated customers and a control API under /_emulator/.',
    )
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free port)', '8081')
    .option('--webhook-url <url>', 'where Cloud API webhooks are POSTed (signed with the app secret)')
    .option('--ultramsg-webhook-url <url>', 'where UltraMsg webhooks are POSTed')
    .option('--app-secret <secret>', 'Meta app secret that signs X-Hub-Signature-256 (default: generated)')
    .option('--config <file>', 'JSON config: numbers and limits, templates, customers, personas, behaviour, faults (see src/emulator/config/schema.ts)')
    .option('--seed <n>', 'seed of every simulated choice (same seed, same personas)')
    .option('--json', 'print one JSON line {"url","accessToken","appSecret","wabaId","phoneNumberIds","ultramsgInstanceIds","ultramsgToken"} once listening')
    .action((options: EmulatorOptions) => run(options));
}
