// The WhatsApp emulator: a local stand-in for Meta's Cloud API and UltraMsg (see types.ts for the terms).
export { startEmulator, type RunningEmulator, type StartEmulatorOptions } from './start-emulator.js';
export { EmulatorConfigError, resolveConfig, validateConfigInput } from './config/resolve.js';
export { EmulatorConfigInput } from './config/schema.js';
export { loadEmulatorConfigFile } from './config/load-file.js';
export type { EmulatorInfo, EmulatorConfig } from './types.js';
