import { ParleyError } from '../errors/parley-error.js';
import { WHATSAPP_MEDIA, bytesMatchType, type WhatsAppMediaSpec } from '../shared/whatsapp-media.js';

/** What an upload declares before its bytes are read: its MIME type, its length and its file name. */
export interface DeclaredUpload {
  mimeType: string;
  /** Content-Length, when the request sent one. */
  length: number | undefined;
  filename: string | undefined;
}

const SUPPORTED = Object.keys(WHATSAPP_MEDIA);

/** The largest file of a type: Meta's limit for it, or the operator's cap when lower. */
export const maxBytesOf = (spec: WhatsAppMediaSpec, cap: number): number => Math.min(spec.maxBytes, cap);

/**
 * Checks what can be checked before the body is read (type, declared length, file name), so a file
 * too large is refused before it is received. Pure; returns the type's spec.
 */
export function checkDeclared(declared: DeclaredUpload, cap: number): WhatsAppMediaSpec {
  const spec = WHATSAPP_MEDIA[declared.mimeType];
  if (!spec) throw new ParleyError('MEDIA_TYPE_UNSUPPORTED', { message: `WhatsApp does not take ${declared.mimeType ? `"${declared.mimeType}"` : 'files without a Content-Type'}.`, details: { mimeType: declared.mimeType, supported: SUPPORTED } });
  const max = maxBytesOf(spec, cap);
  if (declared.length !== undefined && declared.length > max) throw tooLarge(declared.mimeType, declared.length, max);
  if (declared.filename !== undefined && !validFilename(declared.filename)) throw new ParleyError('MEDIA_FILENAME_INVALID', { field: '/filename' });
  return spec;
}

/** Checks the bytes themselves: not empty, within the type's limit, and starting with the type's signature. Pure. */
export function checkBytes(mimeType: string, spec: WhatsAppMediaSpec, bytes: Buffer, cap: number): void {
  if (bytes.length === 0) throw new ParleyError('MEDIA_EMPTY');
  const max = maxBytesOf(spec, cap);
  if (bytes.length > max) throw tooLarge(mimeType, bytes.length, max);
  if (!bytesMatchType(mimeType, bytes)) throw new ParleyError('MEDIA_CONTENT_MISMATCH', { message: `The file does not start like ${mimeType} (its first bytes are ${bytes.subarray(0, 8).toString('hex')}).`, details: { mimeType } });
}

const tooLarge = (mimeType: string, size: number, maxBytes: number) =>
  new ParleyError('MEDIA_TOO_LARGE', { message: `The file is ${size} bytes; ${mimeType} may be at most ${maxBytes} bytes here.`, details: { mimeType, size, maxBytes } });

const validFilename = (name: string): boolean => name.length >= 1 && name.length <= 240 && !/[\u0000-\u001f\u007f/\\]/.test(name);

/**
 * The file name of a request: `?filename=`, else Content-Disposition's `filename*` (RFC 5987, UTF-8)
 * or `filename`. Undefined when neither names one.
 */
export function filenameOf(query: string | undefined, disposition: string | undefined): string | undefined {
  if (query !== undefined) return query;
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*(?:utf-8|UTF-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      return extended[1]!.trim();
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(disposition);
  if (!plain) return undefined;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2];
}
