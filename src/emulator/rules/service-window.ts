/**
 * The customer service window (Meta: 24 h from the customer's last message; error 131047). Inside it
 * anything may be sent; outside it only templates. A template does not reopen it: only the customer does.
 */
export function isWindowOpen(lastInboundAt: number | undefined, windowMs: number, now: number): boolean {
  return lastInboundAt !== undefined && now - lastInboundAt < windowMs;
}

export function serviceWindowAllows(messageType: string, lastInboundAt: number | undefined, windowMs: number, now: number): boolean {
  return messageType === 'template' || isWindowOpen(lastInboundAt, windowMs, now);
}
