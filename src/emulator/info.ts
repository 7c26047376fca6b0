import type { EmulatorCore } from './core.js';
import type { EmulatorInfo } from './types.js';

/** The connection facts a client needs, with exactly the keys `parley emulator --json` prints. */
export function emulatorInfo(core: EmulatorCore): EmulatorInfo {
  return {
    url: core.baseUrl,
    accessToken: core.config.accessToken,
    appSecret: core.config.appSecret,
    wabaId: core.config.wabaId,
    phoneNumberIds: core.config.numbers.map((n) => n.phoneNumberId),
    ultramsgInstanceIds: core.config.ultramsgInstances.map((i) => i.instanceId),
    ultramsgToken: core.config.ultramsgToken,
  };
}
