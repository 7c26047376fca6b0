import { request, type Dispatcher } from 'undici';
import { PrivateTargetError } from '../net/guarded-lookup.js';
import { signEvent } from '../net/signature.js';
import { checkTargetUrl } from '../net/target-policy.js';

export interface EventToDeliver {
  eventId: string;
  type: string;
  workspaceId: string;
  createdAt: number;
  payload: string;
  /** The resource the event is about and its place in that resource's events (null: unordered). */
  orderingKey?: string | null;
  sequence?: number | null;
}

export type DeliveryResult = { ok: true; statusCode: number } | { ok: false; refused: boolean; statusCode: number | null; error: string };

/** The JSON body of a delivery: the same bytes on every attempt of one event. */
export function deliveryBody(event: EventToDeliver): string {
  const order = event.orderingKey && event.sequence != null ? `,"orderingKey":${JSON.stringify(event.orderingKey)},"sequence":${event.sequence}` : '';
  return `{"id":${JSON.stringify(event.eventId)},"type":${JSON.stringify(event.type)},"createdAt":${JSON.stringify(new Date(event.createdAt).toISOString())},"workspaceId":${JSON.stringify(event.workspaceId)}${order},"data":${event.payload}}`;
}

/**
 * Posts one event to one subscription URL, signed, with a timeout, without following redirects.
 * Any 2xx is success. Private targets are refused unless allowed (the URL here; resolved addresses
 * in the dispatcher's lookup).
 */
export async function deliverOne(input: { url: string; secret: string; event: EventToDeliver; nowSeconds: number; timeoutMs: number; allowPrivate: boolean; dispatcher: Dispatcher }): Promise<DeliveryResult> {
  const target = checkTargetUrl(input.url, input.allowPrivate);
  if (!target.ok) return { ok: false, refused: target.code === 'EVENT_TARGET_FORBIDDEN', statusCode: null, error: `target refused: ${target.reason}` };
  const body = deliveryBody(input.event);
  try {
    const response = await request(target.url, {
      method: 'POST',
      dispatcher: input.dispatcher,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Parley-Webhooks/1',
        'parley-event-id': input.event.eventId,
        'parley-event-type': input.event.type,
        ...(input.event.orderingKey && input.event.sequence != null ? { 'parley-event-sequence': String(input.event.sequence) } : {}),
        'parley-signature': signEvent(input.secret, input.nowSeconds, body),
      },
      body,
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    const snippet = (await response.body.text().catch(() => '')).slice(0, 200);
    if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, statusCode: response.statusCode };
    return { ok: false, refused: false, statusCode: response.statusCode, error: `answered ${response.statusCode}${snippet ? `: ${snippet}` : ''}` };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const refused = error instanceof PrivateTargetError || cause instanceof PrivateTargetError || (error as { code?: string }).code === 'EPRIVATETARGET';
    const message = refused ? `target refused: ${((cause as Error) ?? (error as Error)).message}` : (error as Error).message;
    return { ok: false, refused, statusCode: null, error: message };
  }
}
