import { newTraceId } from '../shared/ids.js';

/**
 * Meta's error codes the emulator produces, with the title Meta uses, a details text and the HTTP status
 * the emulator answers with. Meta's HTTP statuses are not reliable (sources disagree, e.g. 131056 seen as
 * 400 and 429); clients must classify on `code`. The emulator's choice: 401 for tokens, 429 for the two
 * rate limits, 500/503 for server faults, 400 for the rest.
 */
export const META_ERRORS = {
  1: { title: 'An unknown error has occurred.', details: 'Invalid request or possible server error.', status: 500 },
  100: { title: 'Invalid parameter', details: 'The request included one or more unsupported or misspelled parameters.', status: 400 },
  190: { title: 'Error validating access token', details: 'The access token is invalid or has expired.', status: 401 },
  130429: { title: 'Rate limit hit', details: 'Message failed to send because there were too many messages sent from this phone number in a short period of time', status: 429 },
  131000: { title: 'Something went wrong', details: 'Message failed to send due to an unknown error.', status: 500 },
  131008: { title: 'Required parameter is missing', details: 'The request is missing a required parameter.', status: 400 },
  131009: { title: 'Parameter value is not valid', details: 'One or more parameter values are invalid.', status: 400 },
  131016: { title: 'Service unavailable', details: 'A service is temporarily unavailable. Please check the status page before retrying.', status: 503 },
  131026: { title: 'Message undeliverable', details: 'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.', status: 400 },
  131047: { title: 'Re-engagement message', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.', status: 400 },
  131048: { title: 'Spam rate limit hit', details: 'Message failed to send because there are restrictions on how many messages can be sent from this phone number.', status: 400 },
  131049: { title: 'This message was not delivered to maintain healthy ecosystem engagement.', details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.', status: 400 },
  131050: { title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.', details: 'The user has stopped marketing messages from your business.', status: 400 },
  131051: { title: 'Message type unknown', details: 'Message type is currently not supported.', status: 400 },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.', status: 400 },
  131056: { title: '(Business Account, Consumer Account) pair rate limit hit', details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.', status: 429 },
  132000: { title: 'Number of parameters does not match the expected number of params', details: 'The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.', status: 400 },
  132001: { title: 'Template name does not exist in the translation', details: 'The template does not exist in the specified language or the template has not been approved.', status: 400 },
  132012: { title: 'Parameter format does not match format in the created template', details: 'The parameter type does not match the format of the template.', status: 400 },
  132015: { title: 'Template is Paused', details: 'Template is paused due to low quality so it cannot be sent in a template message.', status: 400 },
  132016: { title: 'Template is Disabled', details: 'Template has been paused too many times due to low quality and is now permanently disabled.', status: 400 },
} as const;

export type MetaErrorCode = keyof typeof META_ERRORS;

export interface GraphAnswer {
  status: number;
  body: Record<string, unknown>;
}

export const ERROR_CODES_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

/** A Cloud API error, answered synchronously in Meta's envelope. */
export class MetaError extends Error {
  readonly status: number;
  readonly title: string;
  readonly details: string;
  constructor(
    readonly code: number,
    details?: string,
    readonly extra: { type?: string; subcode?: number; status?: number; message?: string; errorData?: false } = {},
  ) {
    const known = META_ERRORS[code as MetaErrorCode];
    super(extra.message ?? `(#${code}) ${known?.title ?? 'Error'}`);
    this.title = known?.title ?? 'Error';
    this.details = details ?? known?.details ?? '';
    this.status = extra.status ?? known?.status ?? 400;
  }

  /**
   * `{error:{message:"(#code) title",type,code,error_data:{messaging_product,details},fbtrace_id}}`; Graph's
   * own errors (an unknown path) have no `error_data` (`errorData: false`).
   */
  toBody(): Record<string, unknown> {
    const error: Record<string, unknown> = { message: this.message, type: this.extra.type ?? 'OAuthException', code: this.code };
    if (this.extra.errorData !== false) error.error_data = { messaging_product: 'whatsapp', details: this.details };
    if (this.extra.subcode !== undefined) error.error_subcode = this.extra.subcode;
    error.fbtrace_id = newTraceId();
    return { error };
  }
}

/** The error object Meta puts in webhooks (`statuses[].errors[]`, `value.errors[]`). */
export function webhookError(code: number, details?: string): Record<string, unknown> {
  const known = META_ERRORS[code as MetaErrorCode];
  const title = known?.title ?? 'Error';
  return { code, title, message: title, error_data: { details: details ?? known?.details ?? '' }, href: ERROR_CODES_HREF };
}

export const invalidToken = () =>
  new MetaError(190, 'Invalid OAuth access token - Cannot parse access token', { message: 'Invalid OAuth access token - Cannot parse access token' });
export const expiredToken = () =>
  new MetaError(190, 'The access token has expired.', { subcode: 463, message: 'Error validating access token: Session has expired.' });

/** Graph's answer for an id that is not an object the caller may use. */
export const unknownObject = (id: string, method: string) =>
  new MetaError(
    100,
    `Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    {
      type: 'GraphMethodException',
      subcode: 33,
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    },
  );
