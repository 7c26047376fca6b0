import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MEDIA_LIMITS, WHATSAPP_MEDIA, bytesMatchType, mimeTypeOf } from './whatsapp-media.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

it("Meta's media table: each type's kind and limit, the emulator's view of it the same", () => {
  assert.deepEqual(WHATSAPP_MEDIA['image/png'], { kind: 'image', maxBytes: 5 * 1024 * 1024 });
  assert.deepEqual(WHATSAPP_MEDIA['application/pdf'], { kind: 'document', maxBytes: 100 * 1024 * 1024 });
  assert.equal(WHATSAPP_MEDIA['image/gif'], undefined);
  assert.equal(MEDIA_LIMITS['image/webp'], 500 * 1024);
  assert.equal(mimeTypeOf('Image/PNG; charset=binary'), 'image/png');
});

it('a file matches its declared type by its first bytes, and only that type', () => {
  const samples: Record<string, Buffer> = {
    'image/png': bytes([0x89], 'PNG\r\n\x1a\n', 'rest'),
    'image/jpeg': bytes([0xff, 0xd8, 0xff, 0xe0]),
    'image/webp': bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '),
    'application/pdf': bytes('%PDF-1.7'),
    'application/msword': bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': bytes('PK\x03\x04'),
    'video/mp4': bytes([0, 0, 0, 0x18], 'ftypmp42'),
    'audio/ogg': bytes('OggS'),
    'audio/mpeg': bytes('ID3\x04'),
    'audio/aac': bytes([0xff, 0xf1, 0x50]),
    'audio/amr': bytes('#!AMR\n'),
    'text/plain': Buffer.from('Olá, here is your invoice.\r\n\tThanks!'),
  };
  for (const [type, sample] of Object.entries(samples)) assert.ok(bytesMatchType(type, sample), type);
  assert.equal(bytesMatchType('image/png', samples['image/jpeg']!), false);
  assert.equal(bytesMatchType('application/pdf', samples['image/png']!), false);
  assert.equal(bytesMatchType('image/webp', bytes('RIFF', [0, 0, 0, 0], 'WAVE')), false);
  assert.equal(bytesMatchType('text/plain', Buffer.from([0x48, 0x00, 0x49])), false, 'a NUL byte is binary');
  assert.equal(bytesMatchType('text/plain', Buffer.from([0xc3, 0x28])), false, 'not UTF-8');
  assert.equal(bytesMatchType('application/zip', samples['application/vnd.openxmlformats-officedocument.wordprocessingml.document']!), false, 'a type outside the table matches nothing');
  for (const type of Object.keys(WHATSAPP_MEDIA)) assert.equal(bytesMatchType(type, Buffer.alloc(0)), false, `${type}: empty`);
});
