import type { ParleyContext } from '../runtime/context.js';

/**
 * Where the built-in emulator of this Parley process listens, when `parley start` runs one. The
 * composition root links it after starting the emulator; the phone's routes answer 404 for a context
 * with no link (`parley serve`, PARLEY_EMULATOR=off, an emulator run apart).
 */
export interface EmulatorLink {
  /** The emulator's base URL (its control API is under `/_emulator/`). */
  readonly url: string;
}

const links = new WeakMap<ParleyContext, EmulatorLink>();

export function linkEmbeddedEmulator(ctx: ParleyContext, url: string): void {
  links.set(ctx, { url: url.replace(/\/+$/, '') });
}

export const embeddedEmulatorOf = (ctx: ParleyContext): EmulatorLink | undefined => links.get(ctx);
