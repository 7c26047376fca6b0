import type { Command } from 'commander';
import { openStore } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { configOrExit, guarded } from '../output.js';

export function registerMigrateCommand(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations (safe to run from several processes at once).')
    .action(() =>
      guarded(async () => {
        const config = configOrExit();
        const store = openStore(config.databaseUrl, { poolSize: 2 });
        try {
          const { applied } = await migrate(store);
          process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
        } finally {
          await store.close();
        }
      }),
    );
}
