import { open, seal } from '../crypto/aes-gcm.js';

// Raw deliveries carry phone numbers and message bodies, so the log stores them sealed
// (AES-256-GCM under a key derived from the master key, `Keyring.systemKey('webhook-log')`).
// A leading version byte leaves room for a later format.
const VERSION = 1;
const AAD = Buffer.from('parley webhook_log');

export class BodySeal {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('BodySeal needs a 32-byte key.');
    this.#key = key;
  }

  seal(raw: Buffer): Buffer {
    return Buffer.concat([Buffer.of(VERSION), seal(this.#key, raw, AAD)]);
  }

  open(sealed: Buffer): Buffer {
    if (sealed[0] !== VERSION) throw new Error(`Unknown webhook log body format ${sealed[0]}.`);
    return open(this.#key, sealed.subarray(1), AAD);
  }
}
