import { randomBytes } from 'node:crypto';
import type { ParleyError } from '../../errors/parley-error.js';
import { isRefusalCode, type RefusalCode } from '../../errors/refusal-codes.js';

/**
 * Parley's errors in Meta's Graph error envelope, so an SDK written for the Cloud API sees the codes it
 * already handles: 190 for a bad token, 10 for a missing permission, 131047 outside the 24-hour window,
 * 131008/131009/100 for bad parameters, 131050 for a recipient who must not get marketing, 132001 (and
 * 132000/132015/132016) for a template the sender's account does not have or cannot send.
 */
export interface MetaErrorBody {
  error: { message: string; type: string; code: number; error_data?: { messaging_product: 'whatsapp'; details: string }; error_subcode?: number; fbtrace_id: string };
}

/** Graph's answer for a path it does not serve: `{error:{message,type,code:2500,fbtrace_id}}`, no `error_data`. */
export function unknownPathError(path: string): MetaErrorBody {
  return { error: { message: `Unknown path components: ${path}`, type: 'OAuthException', code: 2500, fbtrace_id: randomBytes(9).toString('base64url') } };
}

const envelope = (code: number, title: string, details: string, type = 'OAuthException', subcode?: number): MetaErrorBody => ({
  error: {
    message: `(#${code}) ${title}`,
    type,
    code,
    error_data: { messaging_product: 'whatsapp', details },
    ...(subcode !== undefined ? { error_subcode: subcode } : {}),
    fbtrace_id: randomBytes(9).toString('base64url'),
  },
});

/** The template gate's refusals as Meta's template errors. */
const TEMPLATE_REFUSALS: Partial<Record<RefusalCode, { code: number; title: string }>> = {
  template_not_found: { code: 132001, title: 'Template name does not exist in the translation' },
  template_not_live: { code: 132001, title: 'Template name does not exist in the translation' },
  template_rejected: { code: 132001, title: 'Template name does not exist in the translation' },
  template_parameters_mismatch: { code: 132000, title: 'Number of parameters does not match the expected number of params' },
  template_paused: { code: 132015, title: 'Template is Paused' },
  template_disabled: { code: 132016, title: 'Template is Disabled' },
};

/** Refusals for the recipient's own choice, answered as Meta's "stopped marketing messages". */
const RECIPIENT_CHOICE: ReadonlySet<RefusalCode> = new Set(['suppressed', 'consent_no_opt_in', 'consent_withdrawn']);

export function toMetaError(error: ParleyError): { status: number; body: MetaErrorBody } {
  const details = `${error.message} ${error.hint}`.trim();
  switch (error.code) {
    case 'AUTH_KEY_MISSING':
    case 'AUTH_KEY_INVALID':
      return { status: 401, body: envelope(190, 'Invalid OAuth access token - Cannot parse access token', details) };
    case 'AUTH_SCOPE_MISSING':
      return { status: 403, body: envelope(10, 'Application does not have permission for this action', details) };
    case 'SENDER_NOT_FOUND':
    case 'SENDER_UNAVAILABLE':
    case 'ROUTE_NOT_FOUND':
      return { status: 400, body: envelope(100, 'Unsupported post request. Object does not exist, cannot be loaded due to missing permissions, or does not support this operation', details, 'GraphMethodException', 33) };
    case 'REQUEST_INVALID':
      return error.message.includes('is required') ? { status: 400, body: envelope(131008, 'Required parameter is missing', details) } : { status: 400, body: envelope(100, 'Invalid parameter', details) };
    case 'CONTENT_INVALID':
    case 'RECIPIENT_INVALID':
    case 'REQUEST_MALFORMED_JSON':
      return { status: 400, body: envelope(131009, 'Parameter value is not valid', details) };
    case 'REQUEST_TOO_LARGE':
      return { status: 413, body: envelope(100, 'Invalid parameter', details) };
    case 'GATEWAY_TEMPLATE_UNKNOWN':
      return { status: 400, body: envelope(132001, 'Template name does not exist in the translation', details) };
    case 'MESSAGE_NOT_FOUND':
      return { status: 400, body: envelope(131009, 'Parameter value is not valid', details) };
    case 'MESSAGE_REFUSED': {
      const code = error.details?.code;
      if (!isRefusalCode(code)) return { status: 400, body: envelope(100, 'Invalid parameter', details) };
      if (code === 'window_closed') return { status: 400, body: envelope(131047, 'Re-engagement message', details) };
      const template = TEMPLATE_REFUSALS[code];
      if (template) return { status: 400, body: envelope(template.code, template.title, details) };
      if (RECIPIENT_CHOICE.has(code)) return { status: 400, body: envelope(131050, 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business', details) };
      return { status: 400, body: envelope(100, 'Invalid parameter', details) };
    }
    case 'IDEMPOTENCY_CONFLICT':
      return { status: 409, body: envelope(100, 'Invalid parameter', details) };
    default:
      return error.status >= 500 ? { status: error.status, body: envelope(1, 'An unknown error occurred', details, 'OAuthException') } : { status: error.status, body: envelope(100, 'Invalid parameter', details) };
  }
}
