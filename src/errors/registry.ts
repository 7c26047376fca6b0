import type { ErrorKind } from './kinds.js';

/**
 * Every error code the API can return. Codes are stable strings clients can match on; the message
 * says what was wrong, the hint says what to do next. Add new codes here, grouped by area.
 */
export interface ErrorSpec {
  kind: ErrorKind;
  message: string;
  hint: string;
}

const spec = (kind: ErrorKind, message: string, hint: string): ErrorSpec => ({ kind, message, hint });

export const ERRORS = {
  // Requests
  REQUEST_INVALID: spec('invalid', 'The request does not match the schema.', 'Fix the field named in `field` and send again; the schema is in /openapi.json.'),
  REQUEST_MALFORMED_JSON: spec('invalid', 'The request body is not valid JSON.', 'Send a well-formed JSON document with Content-Type: application/json.'),
  REQUEST_TOO_LARGE: spec('too_large', 'The request body is larger than this endpoint accepts.', 'Send a smaller body, or split the work into several requests.'),
  REQUEST_UNSUPPORTED_MEDIA_TYPE: spec('unsupported_media_type', 'The request Content-Type is not supported here.', 'Send Content-Type: application/json.'),
  ROUTE_NOT_FOUND: spec('not_found', 'No such endpoint.', 'Check the method and path against /openapi.json.'),
  METHOD_NOT_ALLOWED: spec('not_found', 'This endpoint does not accept that method.', 'Check the method against /openapi.json.'),

  // Authentication and authorisation
  AUTH_KEY_MISSING: spec('unauthenticated', 'No API key was sent.', 'Send `Authorization: Bearer <api key>`; create a key with `parley keys create`.'),
  AUTH_KEY_INVALID: spec('unauthenticated', 'The API key is not valid: unknown, malformed or revoked.', 'Check the key, or create a new one with `parley keys create`.'),
  AUTH_SCOPE_MISSING: spec('forbidden', 'The API key does not have the scope this endpoint needs.', 'Use a key with the scope named in `details.requiredScope`, or create one with that scope.'),

  // Workspaces and keys
  WORKSPACE_NOT_FOUND: spec('not_found', 'No such workspace.', 'List workspaces with `parley workspaces list`.'),
  API_KEY_NOT_FOUND: spec('not_found', 'No such API key in this workspace.', 'List keys with `GET /v1/api-keys` or `parley keys list`.'),
  SCOPE_UNKNOWN: spec('invalid', 'Unknown scope.', 'Use scopes from the list in `details.known`.'),

  // Senders (outbound)
  SENDER_NOT_FOUND: spec('not_found', 'No such sender in this workspace.', 'List senders with `GET /v1/senders`.'),
  SENDER_INVALID: spec('invalid', 'The sender definition is incomplete for its provider.', 'Cloud API senders need phoneNumberId, wabaId and accessToken; UltraMsg senders need instanceId and token.'),
  SENDER_UNAVAILABLE: spec('unprocessable', 'No active sender can send this message.', 'Add a sender with `POST /v1/senders`, enable it, or name one with `from`.'),

  // Messages (outbound)
  MESSAGE_NOT_FOUND: spec('not_found', 'No such message in this workspace.', 'Check the id returned when the message was accepted.'),
  MESSAGE_NOT_CANCELLABLE: spec('conflict', 'The message can no longer be cancelled: it is already with the provider or finished.', 'Only queued or scheduled messages can be cancelled; read its status with `GET /v1/messages/{id}`.'),
  RECIPIENT_INVALID: spec('invalid', 'The recipient is not a valid phone number.', 'Send `to` in E.164 form, such as +5511987654321, or a `contactId`.'),
  CONTENT_INVALID: spec('invalid', 'The message content is not valid for its type.', 'Fix the field named in `field`; the limits follow WhatsApp\'s (see /openapi.json).'),
  MESSAGE_REFUSED: spec('unprocessable', 'A policy gate refused this message.', 'Read `details.decisions`: it names the gate and the reason; for a closed 24-hour window send a template or an intent.'),
  BATCH_TOO_LARGE: spec('too_large', 'A batch holds at most 1,000 messages.', 'Split the batch into several requests of up to 1,000 messages.'),
  REACTION_TARGET_UNKNOWN: spec('unprocessable', 'The message to react to is unknown or has no provider id yet.', 'React to a message that was delivered or received; pass its Parley id or its wamid.'),

  // Webhook ingestion (src/webhooks/)
  WEBHOOK_SIGNATURE_INVALID: spec('unauthenticated', 'The X-Hub-Signature-256 header is missing or does not match any configured app secret.', 'Set PARLEY_WHATSAPP_APP_SECRETS to the app secret of the Meta app that posts here; the signature is HMAC-SHA256 of the raw body.'),
  WEBHOOK_SECRET_INVALID: spec('unauthenticated', 'The webhook secret is missing or wrong for this instance.', 'Put the sender\'s webhook secret in the URL (`?secret=...`) or in the `X-Parley-Webhook-Secret` header, and check `instanceId`.'),
  WEBHOOK_VERIFY_TOKEN_MISMATCH: spec('forbidden', 'The verification request does not carry hub.mode=subscribe and the configured verify token.', 'Type the value of PARLEY_WHATSAPP_VERIFY_TOKEN as the verify token in Meta\'s App Dashboard.'),
  WEBHOOK_PAYLOAD_INVALID: spec('invalid', 'The webhook body cannot be read.', 'Send JSON, or a form with the JSON in a `data` field, holding `event_type`, `instanceId` and `data`.'),
  WEBHOOK_LOG_UNAVAILABLE: spec('unavailable', 'The delivery could not be stored, so it was not accepted.', 'Retry the delivery; providers do so automatically. Check the database if it persists.'),

  // Event webhooks to business systems (src/events/)
  EVENT_SUBSCRIPTION_NOT_FOUND: spec('not_found', 'No such event subscription in this workspace.', 'List subscriptions with `GET /v1/event-subscriptions`.'),
  EVENT_TARGET_INVALID: spec('invalid', 'The subscription URL is not an absolute http(s) URL.', 'Use a URL like https://crm.example.com/parley-events.'),
  EVENT_TARGET_FORBIDDEN: spec('invalid', 'The subscription URL points to a private, loopback or link-local address.', 'Use a public address, or let the operator set PARLEY_EVENTS_ALLOW_PRIVATE_TARGETS=true.'),
  EVENT_TYPE_UNKNOWN: spec('invalid', 'Unknown event type.', 'Use event types from the list in `details.known`.'),
  EVENT_DELIVERY_NOT_FOUND: spec('not_found', 'No such dead-lettered event delivery in this workspace.', 'List dead letters with `GET /v1/event-dead-letters`.'),

  // Contacts, identity, consent, preference centre, erasure and export (src/contacts, src/consent, src/preferences, src/privacy)
  CONTACT_NOT_FOUND: spec('not_found', 'No such contact in this workspace.', 'Check the id; find contacts with GET /v1/contacts (by phone, e-mail, tag or attribute), or send messages `to` a phone number instead.'),
  CONTACT_FIELD_INVALID: spec('invalid', 'A contact field is not valid.', 'Fix the field named in `field` (the message says what is wrong) and send again.'),
  CONTACT_EXISTS: spec('conflict', 'A contact with this phone number, or an equivalent form of it, already exists.', 'Update the existing contact named in `details.contactId` with PATCH /v1/contacts/{id}.'),
  CONTACT_ERASED: spec('gone', 'This contact was erased on request; its personal data no longer exists.', 'Create a new contact if the person comes back; the erasure itself stays on record.'),
  CONTACT_MERGED: spec('conflict', 'This contact was merged into another and can no longer be changed.', 'Use the surviving contact named in `details.mergedInto`.'),
  CONTACT_MERGE_INVALID: spec('unprocessable', 'These two contacts cannot be merged.', 'Merge two different contacts of this workspace that are neither erased nor already merged.'),
  CONTACT_IMPORT_INVALID: spec('invalid', 'The CSV cannot be imported.', 'Fix what the message names about the file as a whole (header, columns) and import again; problems in single rows are reported per row instead.'),
  CURSOR_INVALID: spec('invalid', 'The cursor is not one this endpoint returned.', 'Pass the `nextCursor` of the previous page unchanged, or omit it to start at the first page.'),
  CONSENT_EFFECTIVE_AT_INVALID: spec('invalid', 'The effective time of a consent record cannot be in the future.', 'Send the time the customer gave or withdrew consent (now or earlier), or omit `effectiveAt` for now.'),

  // Generic
  IDEMPOTENCY_CONFLICT: spec('conflict', 'This Idempotency-Key was already used with a different request body.', 'Use a new Idempotency-Key for a different request, or resend the original body.'),
  NOT_FOUND: spec('not_found', 'The resource does not exist.', 'Check the id.'),
  CONFLICT: spec('conflict', 'The request conflicts with the current state of the resource.', 'Read the resource again and retry with its current state.'),
  SERVICE_UNAVAILABLE: spec('unavailable', 'The service is not ready.', 'Retry shortly; check /readyz.'),
  INTERNAL: spec('internal', 'Something went wrong inside Parley.', 'Retry; if it persists, report the requestId to the operator.'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
