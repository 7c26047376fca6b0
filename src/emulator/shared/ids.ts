import { randomBytes } from 'node:crypto';

// Identifier formats of the real services, so clients that check shapes accept them.

const HEX = '0123456789ABCDEF';

function hex(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[bytes[i] & 15];
  return out;
}

/**
 * A Cloud API message id. Meta's are base64 of a small protobuf holding the user's number and a 20-hex id
 * (`wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=`); this builds the same structure.
 */
export function newWamid(waId: string): string {
  const phone = waId.slice(0, 20);
  const inner = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    Buffer.from(phone),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]),
    Buffer.from(hex(20)),
    Buffer.from([0x00]),
  ]);
  return `wamid.${inner.toString('base64')}`;
}

let numericCounter = 0;
/** Graph ids (media, templates) are decimal numbers of 15-16 digits that stay below 2^53 (they are JSON numbers in webhooks). */
export function newGraphId(): string {
  numericCounter = (numericCounter + 1) % 100_000;
  const base = 1_600_000_000_000_000 + (Date.now() % 1_000_000_000) * 100_000 + numericCounter;
  return String(base);
}

/** Meta's `fbtrace_id`: an opaque token to quote to support. */
export function newTraceId(): string {
  return randomBytes(12).toString('base64url').slice(0, 23);
}

/** The 20-hex message key of WhatsApp Web ids (`3EB0...`), used by UltraMsg. */
export function newWebKey(): string {
  return `3EB0${hex(16)}`;
}
