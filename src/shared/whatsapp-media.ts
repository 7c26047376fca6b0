/**
 * WhatsApp's supported media, as Meta's media page lists them (protocol notes, "Supported media and
 * size limits"): each MIME type with the message type it is sent as and its largest size in bytes.
 * One table for the emulator (which refuses what Meta refuses) and for Parley's own uploads
 * (`POST /v1/media`). Pure.
 */
const MB = 1024 * 1024;

export type WhatsAppMediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface WhatsAppMediaSpec {
  readonly kind: WhatsAppMediaKind;
  readonly maxBytes: number;
}

const spec = (kind: WhatsAppMediaKind, maxBytes: number): WhatsAppMediaSpec => ({ kind, maxBytes });

export const WHATSAPP_MEDIA: Readonly<Record<string, WhatsAppMediaSpec>> = {
  'audio/aac': spec('audio', 16 * MB),
  'audio/amr': spec('audio', 16 * MB),
  'audio/mpeg': spec('audio', 16 * MB),
  'audio/mp4': spec('audio', 16 * MB),
  'audio/ogg': spec('audio', 16 * MB),
  'text/plain': spec('document', 100 * MB),
  'application/pdf': spec('document', 100 * MB),
  'application/msword': spec('document', 100 * MB),
  'application/vnd.ms-excel': spec('document', 100 * MB),
  'application/vnd.ms-powerpoint': spec('document', 100 * MB),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': spec('document', 100 * MB),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': spec('document', 100 * MB),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': spec('document', 100 * MB),
  'image/jpeg': spec('image', 5 * MB),
  'image/png': spec('image', 5 * MB),
  // Stickers: 100 KB static, 500 KB animated; the larger bound here (Meta checks the rest).
  'image/webp': spec('sticker', 500 * 1024),
  'video/mp4': spec('video', 16 * MB),
  'video/3gpp': spec('video', 16 * MB),
};

/** MIME type → largest size in bytes (the emulator's check of an upload). */
export const MEDIA_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(WHATSAPP_MEDIA).map(([type, s]) => [type, s.maxBytes]));

/** A Content-Type header's MIME type, lower case, without parameters (`image/png; q=1` → `image/png`). */
export const mimeTypeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
/** OLE compound file: the legacy Office formats (doc, xls, ppt). */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** A ZIP local file header: the Office Open XML formats (docx, xlsx, pptx). */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const isoBmff = (b: Uint8Array) => startsWith(b, ascii('ftyp'), 4);
const mp3 = (b: Uint8Array) => startsWith(b, ascii('ID3')) || (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0);
const adts = (b: Uint8Array) => (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xf6) === 0xf0) || startsWith(b, ascii('ADIF'));

/**
 * Plain text: no byte the WHATWG MIME Sniffing standard calls binary (control bytes other than tab,
 * line feed, form feed, carriage return and escape), and valid UTF-8.
 */
function plainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Each type's file signature (magic number), after the WHATWG MIME Sniffing standard's patterns and
 * the formats' own specifications (PNG, JPEG/JFIF, RIFF WEBP, %PDF-, ISO base media `ftyp`, Ogg,
 * MPEG audio frames and ID3, ADTS, AMR, OLE and ZIP containers).
 */
const SIGNATURES: Readonly<Record<string, (bytes: Uint8Array) => boolean>> = {
  'image/png': (b) => startsWith(b, PNG),
  'image/jpeg': (b) => startsWith(b, JPEG),
  'image/webp': (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
  'application/pdf': (b) => startsWith(b, ascii('%PDF-')),
  'application/msword': (b) => startsWith(b, OLE),
  'application/vnd.ms-excel': (b) => startsWith(b, OLE),
  'application/vnd.ms-powerpoint': (b) => startsWith(b, OLE),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': (b) => startsWith(b, ZIP),
  'text/plain': plainText,
  'video/mp4': isoBmff,
  'video/3gpp': isoBmff,
  'audio/mp4': isoBmff,
  'audio/ogg': (b) => startsWith(b, ascii('OggS')),
  'audio/mpeg': mp3,
  'audio/aac': adts,
  'audio/amr': (b) => startsWith(b, ascii('#!AMR')),
};

/** Whether the file's first bytes are those of its declared type (every type of `WHATSAPP_MEDIA` has a check). */
export function bytesMatchType(mimeType: string, bytes: Uint8Array): boolean {
  const check = SIGNATURES[mimeType];
  return check !== undefined && check(bytes);
}
