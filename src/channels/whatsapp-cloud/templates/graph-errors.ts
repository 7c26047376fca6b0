import { ParleyError } from '../../../errors/parley-error.js';
import { isRecord } from '../../read-json.js';

/** Meta's error envelope: `{ error: { message, type, code, error_subcode?, error_data?, error_user_msg?, fbtrace_id } }`. */
export interface GraphError {
  code: number;
  message: string;
  subcode?: number;
  userMessage?: string;
  details?: string;
  fbtraceId?: string;
}

export function readGraphError(body: unknown): GraphError | undefined {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || typeof error.code !== 'number') return undefined;
  const data = isRecord(error.error_data) ? error.error_data : {};
  return {
    code: error.code,
    message: typeof error.message === 'string' ? error.message : 'Unknown provider error',
    subcode: typeof error.error_subcode === 'number' ? error.error_subcode : undefined,
    userMessage: typeof error.error_user_msg === 'string' ? error.error_user_msg : undefined,
    details: typeof data.details === 'string' ? data.details : undefined,
    fbtraceId: typeof error.fbtrace_id === 'string' ? error.fbtrace_id : undefined,
  };
}

const AUTH = new Set([0, 3, 10, 190]);
const RATE = new Set([4, 17, 32, 613, 80007, 130429]);
const TRANSIENT = new Set([1, 2, 131000, 131016]);

/**
 * Maps a Graph error to Parley's codes by Meta's `code` (HTTP status is not reliable, per Meta):
 * token and permission problems, rate limits, transient failures, and everything else as a refusal
 * of the request whose text the caller needs to see.
 */
export function graphErrorToParley(status: number, body: unknown): ParleyError {
  const error = readGraphError(body);
  const details = {
    httpStatus: status,
    ...(error ? { providerCode: error.code, providerMessage: error.userMessage ?? error.details ?? error.message, fbtraceId: error.fbtraceId } : {}),
  };
  if (!error) {
    return status >= 500 || status === 0
      ? new ParleyError('TEMPLATE_PROVIDER_UNAVAILABLE', { message: `The provider answered HTTP ${status} without an error body.`, details })
      : new ParleyError('TEMPLATE_PROVIDER_REJECTED', { message: `The provider answered HTTP ${status} without an error body.`, details });
  }
  const said = error.userMessage ?? error.details ?? error.message;
  if (AUTH.has(error.code) || (error.code >= 200 && error.code <= 299)) return new ParleyError('TEMPLATE_PROVIDER_AUTH', { message: `The provider refused the access token: ${said}`, details });
  if (RATE.has(error.code)) return new ParleyError('TEMPLATE_PROVIDER_RATE_LIMITED', { message: `The provider's rate limit was reached: ${said}`, details });
  if (TRANSIENT.has(error.code) || status >= 500) return new ParleyError('TEMPLATE_PROVIDER_UNAVAILABLE', { message: `The provider failed: ${said}`, details });
  return new ParleyError('TEMPLATE_PROVIDER_REJECTED', { message: `The provider refused the request: ${said}`, details });
}
