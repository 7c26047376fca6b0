import { ConfigError, loadConfig, type Config } from '../config/load.js';
import { ParleyError } from '../errors/parley-error.js';
import { StartupError } from '../main/run.js';

/** Exit with status 1 and a message that says what is wrong and what to do. */
export function fail(message: string): never {
  process.stderr.write(`parley: ${message}\n`);
  process.exit(1);
}

/** Loads config or exits 1 naming the bad variables. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Runs a command body, turning expected failures into a clean message and exit 1. */
export async function guarded(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) fail(error.message);
    if (error instanceof ParleyError) fail(`${error.message} ${error.hint}`);
    throw error;
  }
}

export function printTable(rows: Array<Record<string, unknown>>): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const headers = Object.keys(rows[0]);
  const cells = rows.map((row) => headers.map((h) => (row[h] === null || row[h] === undefined ? '' : String(row[h]))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd() + '\n';
  process.stdout.write(line(headers));
  for (const c of cells) process.stdout.write(line(c));
}
