import { createHmac } from 'node:crypto';

/**
 * Meta's webhook body: JSON with every non-ASCII character and every `/` escaped (`\u00e9`, `\/`), the way
 * Meta's servers encode it. Receivers must therefore verify the signature over the exact raw bytes: a
 * re-serialized body differs and fails, as it would with Meta.
 */
export function metaJson(payload: unknown): Buffer {
  const text = JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(text, 'utf8');
}

/** `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256 of the raw body, keyed with the app secret>` */
export function signatureHeader(appSecret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
