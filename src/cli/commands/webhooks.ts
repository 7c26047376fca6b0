import { isProviderName, PROVIDER_NAMES, type ProviderName } from '../../channels/provider-name.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadOrCreateMasterKey } from '../../crypto/master-key.js';
import { migrate } from '../../db/migrate.js';
import { sealLegacyPersonalData } from '../../privacy/seal-legacy-data.js';
import { createLogger } from '../../observability/logger.js';
import { createContext } from '../../main/create-context.js';
import { sleep } from '../../shared/time.js';
import { countFailedSince, countPendingSince, requeueLogRows } from '../../webhooks/log/requeue-log-rows.js';
import { WebhookProcessor } from '../../webhooks/processor.js';
import { configOrExit, fail, guarded } from '../output.js';
import { assertMasterKeyMatches } from '../with-store.js';

function parseTime(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`not an ISO time: ${value} (example: 2025-06-01T00:00:00Z)`);
  return ms;
}

function parseProvider(value: string): ProviderName {
  if (!isProviderName(value)) throw new InvalidArgumentError(`use ${PROVIDER_NAMES.join(' or ')}`);
  return value;
}

interface ReplayOptions {
  since: number;
  until?: number;
  provider?: ProviderName;
  failedOnly?: boolean;
  json?: boolean;
}

export function registerWebhookCommands(program: Command) {
  const webhooks = program.command('webhooks').description('Inspect and replay the stored provider webhook deliveries.');
  webhooks
    .command('replay')
    .description(
      'Process stored webhook deliveries received since a time again, here and now. Idempotent: what was applied before is recognised and not applied twice; ' +
        'deliveries that failed (unknown sender, a bug since fixed) get another chance. Deliveries older than PARLEY_WEBHOOK_LOG_RETENTION_DAYS are gone.',
    )
    .requiredOption('--since <iso time>', 'replay deliveries received at or after this time', parseTime)
    .option('--until <iso time>', 'and before this time', parseTime)
    .option('--provider <provider>', 'only cloud or ultramsg deliveries', parseProvider)
    .option('--failed-only', 'only deliveries that ended failed')
    .option('--json', 'print the result as one JSON line')
    .action((options: ReplayOptions) =>
      guarded(async () => {
        const config = configOrExit();
        const master = loadOrCreateMasterKey(config.masterKey, config.dataDir);
        if (master.generated) fail('No master key was configured or found in the data directory, so there is nothing stored to replay. Set PARLEY_MASTER_KEY (or PARLEY_DATA_DIR) as for `parley start`.');
        const ctx = createContext({ config, masterKey: master.key, logger: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: process.stderr }) });
        try {
          await migrate(ctx.store);
          await assertMasterKeyMatches(ctx.store, config, master);
          await sealLegacyPersonalData(ctx);
          const range = { since: options.since, until: options.until, provider: options.provider };
          const requeued = await requeueLogRows(ctx.db, { ...range, onlyFailed: options.failedOnly, now: ctx.clock.now() });
          const processor = new WebhookProcessor(ctx);
          let processed = 0;
          let left = await countPendingSince(ctx.db, range);
          while (left > 0) {
            const n = await processor.runOnce();
            processed += n;
            if (n === 0) await sleep(200);
            left = await countPendingSince(ctx.db, range);
            if (!options.json && n > 0) process.stderr.write(`\rprocessed ${processed} of ${requeued} deliveries`);
          }
          await processor.housekeeping(true);
          const failed = await countFailedSince(ctx.db, { since: options.since, until: options.until });
          const result = { requeued, processed, failed };
          if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
          else process.stdout.write(`${requeued ? '\n' : ''}Replayed ${requeued} deliveries (${processed} processed here); ${result.failed} in the range are failed and kept with their error.\n`);
        } finally {
          await ctx.store.close();
        }
      }),
    );
}
