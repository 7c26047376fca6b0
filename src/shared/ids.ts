import { randomBytesFromPool } from './random-pool.js';

// Identifiers are a short type prefix and a ULID-like body: 10 characters of time (ms) and 16 of
// randomness in Crockford base32. They sort by creation time, which keeps B-tree inserts cheap and
// makes ids readable in logs ("msg_01JD...").
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = 0;
let lastRandom = new Uint8Array(16);

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function nextRandom(now: number): Uint8Array {
  if (now === lastTime) {
    // Same millisecond: increment so ids stay strictly increasing within a process.
    for (let i = 15; i >= 0; i--) {
      if (lastRandom[i] < 31) {
        lastRandom[i]++;
        return lastRandom;
      }
      lastRandom[i] = 0;
    }
  }
  lastTime = now;
  const bytes = randomBytesFromPool(16);
  lastRandom = new Uint8Array(16);
  for (let i = 0; i < 16; i++) lastRandom[i] = bytes[i] % 32;
  return lastRandom;
}

export function newId(prefix: string, now: number = Date.now()): string {
  const random = nextRandom(now);
  let body = encodeTime(now);
  for (let i = 0; i < 16; i++) body += ALPHABET[random[i]];
  return `${prefix}_${body}`;
}
