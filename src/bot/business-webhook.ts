import { Agent, request, type Dispatcher } from 'undici';
import { guardedLookup, PrivateTargetError } from '../net/guarded-lookup.js';
import { signEvent } from '../net/signature.js';
import { checkTargetUrl } from '../net/target-policy.js';
import { MILLISECOND, SECOND, sleep } from '../shared/time.js';

/**
 * A flow's `webhook` node calling the business's system: the thin I/O edge behind the engine's
 * `webhook` effect, whose result goes back to the engine as its `webhook` input. The contract the
 * business implements is in docs/bot-flows.md ("Business webhooks").
 *
 * One call is up to `retries + 1` attempts of a signed JSON POST. An attempt that fails on the network,
 * times out, or is answered 429 or 5xx is tried again after a short pause; any other answer ends the call.
 * Success is a 2xx whose body is JSON (or empty: `null`) of at most `MAX_ANSWER_BYTES`; everything else
 * is a failure, which the engine turns into the node's `onError` branch.
 */
export interface BusinessWebhookCall {
  url: string;
  /** The JSON body (the node's `body`, placeholders filled); the same bytes on every attempt. */
  body: Record<string, unknown>;
  /** The key the `Parley-Signature` header is computed with. */
  secret: string;
  /** Per attempt: connecting, the headers and the whole body must arrive within it. */
  timeoutMs: number;
  /** Attempts after the first one, for failures worth repeating. */
  retries: number;
  /** The operator allows private, loopback and internal targets (`PARLEY_EVENTS_ALLOW_PRIVATE_TARGETS`). */
  allowPrivate: boolean;
  /** From `businessWebhookAgent`, so resolved addresses are checked on every connection. */
  dispatcher: Dispatcher;
  /** Unix seconds at the call's start: the signature's `t` (attempts add the seconds elapsed since). */
  nowSeconds: number;
  /** Sent as `Idempotency-Key` on every attempt, so the business can tell a repeat from a new call. */
  idempotencyKey: string;
}

export type BusinessWebhookResult =
  | { ok: true; body: unknown; attempts: number; statusCode: number }
  | { ok: false; error: string; attempts: number; statusCode: number | null };

/** The largest answer read; a larger one is a failure (a flow maps a few fields, not documents). */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** The pause before attempt n + 1 is n times this: at most 200 ms × (1 + … + 5) = 3 s for the 5 retries a node may ask for. */
export const RETRY_PAUSE = 200 * MILLISECOND;

export const USER_AGENT = 'Parley-Bot/1';

/**
 * The dispatcher for business webhooks. Unless the operator allows private targets, every resolved
 * address is checked when connecting (a name pointed at an internal address later is refused too),
 * as event deliveries are. Redirects are never followed (undici's `request` does not).
 */
export function businessWebhookAgent(allowPrivate: boolean): Agent {
  return new Agent({ connect: allowPrivate ? {} : { lookup: guardedLookup as never }, connections: 8, maxResponseSize: MAX_ANSWER_BYTES });
}

type Attempt = { done: true; result: BusinessWebhookResult } | { done: false; error: string; statusCode: number | null };

const retryable = (status: number) => status === 429 || status >= 500;

/** The answer's bytes, or null when there are more than `MAX_ANSWER_BYTES` (the rest is not read). */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refusal(error: unknown): string | null {
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof PrivateTargetError || (error as { code?: string }).code === 'EPRIVATETARGET') return (error as Error).message;
  if (cause instanceof PrivateTargetError) return cause.message;
  return null;
}

function failureOf(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string };
  if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT') return `no answer within ${timeoutMs} ms`;
  return e.message || String(error);
}

async function attempt(call: BusinessWebhookCall, url: URL, payload: string, number: number, started: number): Promise<Attempt> {
  const elapsedSeconds = Math.floor((performance.now() - started) / SECOND);
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: call.dispatcher,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': USER_AGENT,
        'idempotency-key': call.idempotencyKey,
        'parley-attempt': String(number),
        'parley-signature': signEvent(call.secret, call.nowSeconds + elapsedSeconds, payload),
      },
      body: payload,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    const status = response.statusCode;
    if (status < 200 || status >= 300) {
      await response.body.dump().catch(() => undefined);
      const error = `answered ${status}`;
      return retryable(status) ? { done: false, error, statusCode: status } : { done: true, result: { ok: false, error, attempts: number, statusCode: status } };
    }
    const bytes = await readCapped(response.body);
    const fail = (error: string): Attempt => ({ done: true, result: { ok: false, error, attempts: number, statusCode: status } });
    if (bytes === null) return fail(`answered ${status} with more than ${MAX_ANSWER_BYTES} bytes`);
    const text = bytes.toString('utf8');
    if (!text.trim()) return { done: true, result: { ok: true, body: null, attempts: number, statusCode: status } };
    try {
      return { done: true, result: { ok: true, body: JSON.parse(text) as unknown, attempts: number, statusCode: status } };
    } catch {
      return fail(`answered ${status} with a body that is not JSON`);
    }
  } catch (error) {
    const refused = refusal(error);
    if (refused) return { done: true, result: { ok: false, error: `target refused: ${refused}`, attempts: number, statusCode: null } };
    // The agent's own cap (from the Content-Length or while reading): as final as a long body read here.
    if ((error as { code?: string }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return { done: true, result: { ok: false, error: `the answer is larger than ${MAX_ANSWER_BYTES} bytes`, attempts: number, statusCode: null } };
    return { done: false, error: failureOf(error, call.timeoutMs), statusCode: null };
  }
}

/**
 * Calls a business webhook: never throws, never takes longer than
 * `(retries + 1) × timeoutMs + RETRY_PAUSE × (1 + … + retries)`.
 */
export async function callBusinessWebhook(call: BusinessWebhookCall): Promise<BusinessWebhookResult> {
  const target = checkTargetUrl(call.url, call.allowPrivate);
  if (!target.ok) return { ok: false, error: `target refused: ${target.reason}`, attempts: 0, statusCode: null };
  const payload = JSON.stringify(call.body);
  const started = performance.now();
  const attempts = Math.max(0, Math.floor(call.retries)) + 1;
  let last: { error: string; statusCode: number | null } = { error: 'not attempted', statusCode: null };
  for (let n = 1; n <= attempts; n++) {
    if (n > 1) await sleep(RETRY_PAUSE * (n - 1));
    const outcome = await attempt(call, target.url, payload, n, started);
    if (outcome.done) return outcome.result;
    last = outcome;
  }
  return { ok: false, error: attempts > 1 ? `${last.error} (${attempts} attempts)` : last.error, attempts, statusCode: last.statusCode };
}
