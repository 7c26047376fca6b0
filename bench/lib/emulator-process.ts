// Starts `parley emulator` in its own process (its own core), for benchmarks that must not measure
// the emulator's work as Parley's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface EmulatorProcess {
  child: ChildProcess;
  info: { url: string; accessToken: string; appSecret: string; wabaId: string; phoneNumberIds: string[]; ultramsgInstanceIds: string[]; ultramsgToken: string };
  stats(): Promise<{ cloudSendsAccepted: number; cloudSendsRefused: number; duplicateSends: number; errorsByCode: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(config: Record<string, unknown>, args: string[] = []): Promise<EmulatorProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-emulator-'));
  const file = path.join(dir, 'emulator.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/dev.ts'), 'emulator', '--port', '0', '--json', '--config', file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<EmulatorProcess['info']>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    child,
    info,
    stats: async () => (await (await fetch(`${info.url}/_emulator/stats`)).json()) as Awaited<ReturnType<EmulatorProcess['stats']>>,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
