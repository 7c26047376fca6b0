import { readFileSync } from 'node:fs';
import { EmulatorConfigError, validateConfigInput } from './resolve.js';
import type { EmulatorConfigInput } from './schema.js';

/** Reads and validates a config file; every problem becomes one EmulatorConfigError naming the file. */
export function loadEmulatorConfigFile(path: string): EmulatorConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EmulatorConfigError(`Cannot read the emulator config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EmulatorConfigError(`The emulator config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateConfigInput(parsed, `emulator config file ${path}`);
}
