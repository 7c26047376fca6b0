import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Event deliveries carry `Parley-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
 * HMAC-SHA256 of `<t>.<raw body>` keyed by the subscription's secret. Signing the timestamp with
 * the body lets receivers refuse replays older than a few minutes. Bot flows' business webhooks are
 * signed the same way, so a business verifies both with one function.
 */
export function signEvent(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** The receiver's check (the README shows the same in a few lines): true when fresh and signed with `secret`. */
export function verifyEventSignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
