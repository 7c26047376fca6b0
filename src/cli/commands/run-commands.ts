import type { Command } from 'commander';
import { createLogger } from '../../observability/logger.js';
import { runParley, type RunMode, type RunningParley } from '../../main/run.js';
import { configOrExit, guarded } from '../output.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';

function banner(running: RunningParley): string {
  const lines = [`Parley is ready in ${running.readyAfterMs} ms`];
  if (running.url) {
    lines.push(`  Console:          ${running.url}/console/`);
    lines.push(`  API:              ${running.url}`);
    lines.push(`  API docs:         ${running.url}/docs   (OpenAPI: ${running.url}/openapi.json)`);
  }
  if (running.adminApiKey) lines.push(`  Admin API key:    ${running.adminApiKey}`, '                    (shown once: store it now; it is kept only as a hash)');
  if (running.demoAdmin) lines.push(`  Console sign-in:  ${running.demoAdmin.email} / ${running.demoAdmin.password}`, '                    (the demo admin; shown once: change it after signing in)');
  if (!running.adminApiKey && running.url) lines.push('  API keys:         create one with `npx parley keys create --name me --scopes admin`');
  if (running.masterKeyGenerated) lines.push(`  Master key:       generated into ${running.masterKeyGenerated} (back it up; without it encrypted data is lost)`);
  if (running.emulator) lines.push(`  WhatsApp emulator: ${running.emulator.info.url}   (control API: ${running.emulator.info.url}/_emulator/info)`);
  if (running.workers.length) lines.push(`  Workers:          ${running.workers.map((w) => w.name).join(', ')}`);
  return lines.join('\n') + '\n';
}

async function run(mode: RunMode, options: { json?: boolean }) {
  await guarded(async () => {
    const config = configOrExit();
    // With --json, standard output carries exactly one JSON line; logs go to standard error.
    const logger = createLogger({ level: config.logLevel, destination: options.json ? process.stderr : process.stdout });
    // Signal handlers go in before anything else: a signal that arrives during start-up (or right after
    // the ready line) must shut down gracefully, not kill the process with the default action.
    const state: { running?: RunningParley } = {};
    let exiting: string | undefined;
    const shutdown = (signal: string) => {
      if (exiting) return;
      exiting = signal;
      const running = state.running;
      if (!running) return; // start-up finishes first, then shuts down (below)
      logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
        process.exit(1);
      }, config.shutdownTimeoutMs);
      timer.unref();
      running.stop().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    // Every loop catches its own failures and retries; should a database call that failed during a
    // restart or failover still escape as an unhandled rejection, it must not end the process (its
    // work is picked up again from the database). Anything else keeps Node's behaviour: exit 1.
    process.on('unhandledRejection', (reason) => {
      if (isDatabaseUnavailable(reason)) {
        logger.warn({ err: reason }, 'a database call failed while the database was unreachable (unhandled); carrying on');
        return;
      }
      logger.error({ err: reason }, 'unhandled promise rejection; exiting');
      process.exitCode = 1;
      setImmediate(() => process.exit(1));
    });
    const running = (state.running = await runParley({ config, mode, logger, logFd: options.json ? 2 : 1 }));
    if (options.json) {
      process.stdout.write(JSON.stringify({ url: running.url ?? null, adminApiKey: running.adminApiKey ?? null, demoAdmin: running.demoAdmin ?? null, emulator: running.emulator?.info ?? null, readyAfterMs: running.readyAfterMs }) + '\n');
    } else {
      process.stdout.write(banner(running));
    }
    if (exiting) {
      const signal = exiting;
      exiting = undefined;
      shutdown(signal);
    }
  });
}

export function registerRunCommands(program: Command) {
  program
    .command('start')
    .description('Run everything in one process: API, background workers and, when no real provider is configured, the built-in emulator. Creates a demo workspace and an admin key on first start.')
    .option('--json', 'print one JSON line {"url","adminApiKey","demoAdmin","emulator"} once ready (logs go to standard error)')
    .action((options) => run('all', options));
  program
    .command('serve')
    .description('Run the HTTP API only (scale-out: run several, with `parley worker` processes, on PostgreSQL).')
    .option('--json', 'print one JSON line {"url"} once ready')
    .action((options) => run('api', options));
  program
    .command('worker')
    .description('Run background work only: dispatch, webhook processing, event delivery.')
    .option('--json', 'print one JSON line once ready')
    .action((options) => run('worker', options));
}
