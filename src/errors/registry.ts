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
  PERMISSION_MISSING: spec('forbidden', 'You do not have the permission this endpoint needs.', 'Ask an admin for a role (or an API key scope) that grants the permission named in `details.requiredPermission`.'),
  AUTH_SCOPE_MISSING: spec('forbidden', 'The API key does not have the scope this endpoint needs.', 'Use a key with the scope named in `details.requiredScope`, or create one with that scope.'),

  // People, teams and console sign-in (src/access/, src/people/)
  SIGN_IN_FAILED: spec('unauthenticated', 'The email address or the password is wrong.', 'Check both and try again; after a few failures sign-in is paused for a while (429 with Retry-After).'),
  SIGN_IN_THROTTLED: spec('rate_limited', 'Too many failed sign-ins for this account or from this address.', 'Wait the number of seconds in the Retry-After header, then try again; an admin can set a new password meanwhile.'),
  SESSION_MISSING: spec('unauthenticated', 'No valid console session: not signed in, signed out, expired or revoked.', 'Sign in again with `POST /v1/session`.'),
  CSRF_TOKEN_INVALID: spec('forbidden', 'A write made with the console session cookie needs a valid CSRF token.', 'Send the `csrfToken` of `GET /v1/session` in the `x-csrf-token` header.'),
  PASSWORD_REJECTED: spec('unprocessable', 'The password is not accepted.', 'Choose one that follows every rule in `details.rules` (also at `GET /v1/session/password-rules`).'),
  USER_NOT_FOUND: spec('not_found', 'No such user in this workspace.', 'List users with `GET /v1/users`.'),
  USER_EXISTS: spec('conflict', 'A user with this email address already exists in this workspace.', 'Open that user (`GET /v1/users`), or invite another address.'),
  LAST_ADMIN: spec('conflict', 'This would leave the workspace without an active admin.', 'Make another user an active admin first, then change this one.'),
  TEAM_NOT_FOUND: spec('not_found', 'No such team in this workspace.', 'List teams with `GET /v1/teams`.'),
  TEAM_EXISTS: spec('conflict', 'A team with this name already exists in this workspace.', 'Choose another name, or use the existing team.'),

  // Conversations (src/conversations/)
  CONVERSATION_NOT_FOUND: spec('not_found', 'No such conversation, or not one you may see.', 'List conversations with `GET /v1/conversations`; agents see their own teams\' conversations only.'),
  CONVERSATION_STATE_CONFLICT: spec('conflict', 'The conversation is not in a state this action applies to.', 'Read its `state` and `owner` (`GET /v1/conversations/{id}`); `details` says what stood in the way.'),
  CONVERSATION_TAKE_NEEDS_PERSON: spec('invalid', 'Only a signed-in person takes a conversation for themself.', 'With an API key, assign it to a user: `POST /v1/conversations/{id}/assign` with `userId`.'),
  CONVERSATION_FILTER_NEEDS_PERSON: spec('invalid', 'Only a signed-in person lists the conversations of their own teams (`myTeams`).', 'With an API key, list one team\'s: `GET /v1/conversations?teamId=...`.'),
  CONVERSATION_TAKEN: spec('conflict', 'Another user owns this conversation.', 'Leave it to them, or take it over (`takeOver: true`, needs `conversations.assign`).'),
  SURVEY_SETTINGS_INVALID: spec('invalid', 'The survey settings do not hold together.', 'Fix the field named in `field`: each quick-reply button stands for a different score on the kind\'s scale (CSAT 1–5, NPS 0–10).'),
  CONVERSATION_BOT_OWNED: spec('conflict', 'The bot owns this conversation: a person does not reply while it answers.', 'Take it over first (`POST /v1/conversations/{id}/take` with `takeOver: true`), then reply.'),
  CONVERSATION_NOT_YOURS: spec('conflict', 'You do not own this conversation.', 'Take it (`POST /v1/conversations/{id}/take`), or ask its owner or a supervisor; `details` names the owner.'),
  CONVERSATION_WINDOW_CLOSED: spec('unprocessable', 'The 24-hour customer-service window is closed: only a template can be sent now.', 'Reply with one of the templates in `details.templates` (`type: template`), with its parameters; the window reopens when the customer writes.'),
  CONVERSATION_REPLY_INVALID: spec('invalid', 'A reply is a message (`type` and its payload) or a canned reply (`canned`), not both or neither.', 'Send `{ "type": "text", "text": { "body": "..." } }`, or `{ "canned": "<shortcut>" }`.'),
  CONVERSATION_MENTION_INVALID: spec('invalid', 'A mentioned user is not an active user of the workspace who can see this conversation.', 'Mention users named in `GET /v1/users` who are active and belong to the conversation\'s team (or are not limited to teams); `details.userIds` lists the ones refused.'),
  CANNED_REPLY_NOT_FOUND: spec('not_found', 'No such canned reply in this workspace.', 'List canned replies with `GET /v1/canned-replies`.'),
  CANNED_REPLY_EXISTS: spec('conflict', 'A canned reply with this shortcut already exists in this workspace.', 'Choose another shortcut, or change the existing reply (`PUT /v1/canned-replies/{id}`).'),
  CANNED_REPLY_INVALID: spec('invalid', 'The canned reply\'s text has a malformed variable.', 'Name variables like `{{contact.name}}`: lower-case words joined by dots; `details.variables` lists the malformed ones.'),
  CANNED_REPLY_VARIABLE_MISSING: spec('unprocessable', 'The canned reply names variables that have no value.', 'Pass a value for each variable in `details.variables` in `variables` (Parley fills `contact.name`, `agent.name`, `conversation.id` when it knows them).'),
  BUSINESS_HOURS_INVALID: spec('invalid', 'The business hours cannot be used as given.', 'Fix the field named in `field`: an IANA time zone, HH:MM intervals that do not overlap within a day, holidays as YYYY-MM-DD.'),
  BUSINESS_HOURS_MISSING: spec('invalid', 'The workspace has no business hours, so targets cannot count them.', 'Set them first (`PUT /v1/conversations/settings/business-hours`), or use wall-clock targets (`businessHours: false`).'),
  SLA_POLICY_NOT_FOUND: spec('not_found', 'No such SLA policy in this workspace.', 'List policies with `GET /v1/sla-policies`.'),
  SLA_POLICY_INVALID: spec('invalid', 'The SLA policy cannot be used as given.', 'Set at least one target; give `scopeId` for a team or sender scope and none for `default`.'),
  SLA_POLICY_SCOPE_TAKEN: spec('conflict', 'Another SLA policy already covers this scope.', 'Change that policy (`PUT /v1/sla-policies/{id}`, its id is in `details.policyId`), or delete it first.'),
  METRICS_RANGE_INVALID: spec('invalid', 'The date range is not one the metrics cover.', 'Give `from` and `to` as YYYY-MM-DD, `from` not after `to`, at most 366 days apart.'),
  AGENT_NEEDS_PERSON: spec('invalid', 'Only a signed-in person sets their own presence.', 'With an API key, set a user\'s presence: `PUT /v1/agents/{userId}/presence`.'),
  AGENT_NOT_FOUND: spec('not_found', 'No active user in this workspace who may hold conversations (an agent, supervisor or admin), or not one you may see.', 'List agents with `GET /v1/agents`; a supervisor sees the agents of their own teams.'),
  ASSIGNMENT_POLICY_NOT_FOUND: spec('not_found', 'No assignment policy for this sender or team.', 'List policies with `GET /v1/assignment-policies`.'),
  ASSIGNMENT_POLICY_INVALID: spec('invalid', 'A sender\'s policy names the team its new conversations go to (`teamId` only); a team\'s policy says how its queue is served (`mode`, `queueOrder`, `capacity`, no `teamId`).', 'Send the fields of the policy\'s scope, as `details` says.'),
  STREAM_CONNECTIONS_EXHAUSTED: spec('rate_limited', 'This workspace has as many live streams open as the server allows.', 'Close streams you no longer read (one per console tab is enough), retry after the seconds in Retry-After, or ask the operator to raise PARLEY_STREAM_MAX_CONNECTIONS.'),
  STREAM_CURSOR_INVALID: spec('invalid', 'The Last-Event-ID header (or `after`) is not an event id of this stream.', 'Send the `id` of the last event you received (a whole number), or nothing to start from now.'),
  // Bot flows (src/bot/)
  FLOW_NOT_FOUND: spec('not_found', 'No such flow in this workspace.', 'List flows with `GET /v1/flows`.'),
  FLOW_EXISTS: spec('conflict', 'A flow with this name already exists in this workspace.', 'Choose another `name`, or change the existing flow\'s draft (`PUT /v1/flows/{id}`).'),
  FLOW_INVALID: spec('invalid', 'The flow cannot be published as it is.', 'Fix each problem in `details.problems`: each names the node and the field (a JSON pointer); the schema is at `GET /v1/flows/schema`.'),
  FLOW_VERSION_NOT_FOUND: spec('not_found', 'The flow has no such published version.', 'List its versions with `GET /v1/flows/{id}/versions`; publish the draft with `POST /v1/flows/{id}/publish`.'),
  FLOW_ASSIGNMENT_NOT_FOUND: spec('not_found', 'This flow does not answer that sender (or that entry point of it).', 'List the flow\'s assignments with `GET /v1/flows/{id}` or every flow\'s with `GET /v1/flow-assignments`.'),
  FLOW_NOT_PUBLISHED: spec('conflict', 'The flow has no published version yet, so it cannot answer customers.', 'Publish it first (`POST /v1/flows/{id}/publish`).'),
  FLOW_SCRIPT_INVALID: spec('invalid', 'The dialogue script cannot be read.', 'Fix the line named in `details.problems`; the script format is in docs/bot-flows.md.'),
  BOT_NOT_ASSIGNED: spec('conflict', 'No published flow answers this conversation\'s sender, so the bot cannot take it back.', 'Assign a flow to the sender (`PUT /v1/flows/{id}/assignments`) and publish it.'),
  INVITATION_INVALID: spec('gone', 'The invitation link is unknown, expired or already used.', 'Ask an admin of the workspace for a new invitation.'),

  // Workspaces and keys
  WORKSPACE_NOT_FOUND: spec('not_found', 'No such workspace.', 'List workspaces with `parley workspaces list`.'),
  API_KEY_NOT_FOUND: spec('not_found', 'No such API key in this workspace.', 'List keys with `GET /v1/api-keys` or `parley keys list`.'),
  SCOPE_UNKNOWN: spec('invalid', 'Unknown scope.', 'Use scopes from the list in `details.known`.'),

  // Templates, intents and rollouts (src/templates/, src/channels/whatsapp-cloud/templates/)
  TEMPLATE_NOT_FOUND: spec('not_found', 'No such template in this workspace.', 'List templates with `GET /v1/templates`.'),
  TEMPLATE_VERSION_NOT_FOUND: spec('not_found', 'No such version of this template.', 'List versions with `GET /v1/templates/{id}/versions`.'),
  TEMPLATE_EXISTS: spec('conflict', 'A template with this name and language already exists for this WhatsApp Business Account.', 'Edit it by adding a version (`POST /v1/templates/{id}/versions`), or choose another name or language.'),
  TEMPLATE_INVALID: spec('invalid', 'The template has lint errors.', 'Fix the findings in `details.findings` (each has a `fix`) and send it again.'),
  TEMPLATE_WARNINGS_UNACKNOWLEDGED: spec('unprocessable', 'The template has lint warnings that were not acknowledged.', 'Review `details.findings`; resubmit with their rule ids in `acknowledgedWarnings`, or change the template.'),
  TEMPLATE_SELF_APPROVAL: spec('forbidden', 'The author of a version cannot approve it.', 'Ask someone with another API key (scope templates:write) to review and approve it.'),
  TEMPLATE_REVIEW_STATE: spec('conflict', 'The version is not in a state that allows this step.', 'Check `details.state`: approve a draft, then submit the approved version; edits create a new version.'),
  TEMPLATE_SUBMISSION_PENDING: spec('conflict', 'Another version of this template is waiting for the provider’s review.', 'Wait for the provider’s decision (`GET /v1/templates/{id}`), then submit again.'),
  TEMPLATE_NO_SENDER_FOR_WABA: spec('unprocessable', 'No active Cloud API sender in this workspace belongs to this WhatsApp Business Account.', 'Add a sender with this `wabaId` and its access token, or fix the template’s `wabaId`.'),
  TEMPLATE_PARAMETERS_MISMATCH: spec('invalid', 'The parameters do not match the template’s placeholders (the provider would answer 132000).', 'Pass exactly the parameters listed in `details.expected`: one value per placeholder, media for a media header.'),
  TEMPLATE_PARAMETER_INVALID: spec('invalid', 'A template parameter value is not acceptable to the provider.', 'Fix the value named in `field` as the message says.'),
  TEMPLATE_RENDER_UNSUPPORTED: spec('unprocessable', 'This template cannot be rendered for this provider with these parameters.', 'Follow the message: e.g. UltraMsg needs media as a `link`, not a Cloud API media id.'),
  TEMPLATE_PAUSED: spec('conflict', 'The template is paused by the provider for low quality (Meta 132015).', 'Configure a backup (`PUT /v1/templates/{id}/backup`), send another template, or wait for the pause to end.'),
  TEMPLATE_DISABLED: spec('conflict', 'The template is disabled by the provider (Meta 132016).', 'Create and submit a new template; configure a backup for the meantime.'),
  TEMPLATE_REJECTED: spec('conflict', 'The provider rejected the template.', 'Read the rejection reason on the template, fix it in a new version and submit again.'),
  TEMPLATE_NOT_LIVE: spec('conflict', 'The template has no version approved by the provider.', 'Submit a version and wait for approval, or send another template.'),
  TEMPLATE_BACKUP_INVALID: spec('invalid', 'The backup cannot be used.', 'Name another template of this workspace and WABA (not the template itself), or a channel: sms or email.'),
  TEMPLATE_SETTINGS_INVALID: spec('invalid', 'The template settings are not valid.', 'Use Meta language codes such as en_US or pt_BR for required and fallback languages.'),
  TEMPLATE_PROVIDER_AUTH: spec('unprocessable', 'The provider refused the sender’s access token for template management.', 'Renew the sender’s access token (it needs whatsapp_business_management) and try again.'),
  TEMPLATE_PROVIDER_RATE_LIMITED: spec('rate_limited', 'The provider’s rate limit for template management was reached.', 'Wait (the limit is per hour and WABA) and try again.'),
  TEMPLATE_PROVIDER_REJECTED: spec('unprocessable', 'The provider refused the template request.', 'Read `details.providerMessage`; fix the template and submit again.'),
  TEMPLATE_PROVIDER_UNAVAILABLE: spec('unavailable', 'The provider could not be reached or failed.', 'Retry shortly; the reconciliation poll also keeps statuses in step.'),
  INTENT_NOT_FOUND: spec('not_found', 'No such intent in this workspace.', 'List intents with `GET /v1/intents`.'),
  INTENT_EXISTS: spec('conflict', 'An intent with this name already exists.', 'Update it with `PUT /v1/intents/{name}`, or choose another name.'),
  INTENT_PARAMETERS_MISSING: spec('invalid', 'The intent needs parameters that were not given.', 'Pass every parameter named in `details.missing` in `params`.'),
  INTENT_NEEDS_TEMPLATE: spec('unprocessable', 'The 24-hour window is closed and the intent has no template.', 'Give the intent a template (`PUT /v1/intents/{name}`), or wait for the customer to write.'),
  INTENT_INVALID: spec('invalid', 'The intent is not valid.', 'Give the intent a text, a template, or both; see the message for the field to fix.'),
  VARIANT_NOT_FOUND: spec('not_found', 'No such variant of this intent.', 'List variants with `GET /v1/intents/{name}/variants`.'),
  VARIANT_EXISTS: spec('conflict', 'A variant with this name already exists for this intent.', 'Choose another name, or update the existing variant.'),
  VARIANT_INVALID: spec('invalid', 'The variant is not valid.', 'Follow the message; an intent has exactly one control variant.'),
  ROLLOUT_NOT_FOUND: spec('not_found', 'No such rollout.', 'List rollouts with `GET /v1/intents/{name}/rollouts`.'),
  ROLLOUT_INVALID: spec('invalid', 'The rollout is not valid.', 'Stages must rise in percent up to 100, each held for a duration or a message count; the variant must not be the control.'),
  ROLLOUT_RUNNING: spec('conflict', 'A rollout is already running for this intent.', 'Halt or finish it before starting another.'),
  // Senders (outbound)
  SENDER_NOT_FOUND: spec('not_found', 'No such sender in this workspace.', 'List senders with `GET /v1/senders`.'),
  SENDER_INVALID: spec('invalid', 'The sender definition is incomplete for its provider.', 'Cloud API senders need phoneNumberId, wabaId and accessToken; UltraMsg senders need instanceId and token.'),
  SENDER_NUMBER_TAKEN: spec('conflict', 'This provider number is already registered as a sender.', 'A Cloud API phone number id or UltraMsg instance belongs to one sender in one workspace (webhooks are routed by it). Use the existing sender (`GET /v1/senders`), or register it in the workspace that should own it.'),
  SENDER_HAS_NO_QR: spec('unprocessable', 'Only UltraMsg senders are linked to a phone by QR code; this sender is not an UltraMsg instance.', 'Cloud API numbers are registered in Meta\'s WhatsApp Manager: there is nothing to scan. Ask for the QR code of an UltraMsg sender.'),
  SENDER_ALREADY_AUTHENTICATED: spec('conflict', 'The UltraMsg instance is already authenticated: there is no QR code to scan.', 'Nothing to do: its messages are flowing. To link another phone, log the instance out in UltraMsg\'s console first.'),
  SENDER_QR_UNAVAILABLE: spec('conflict', 'The UltraMsg instance shows no QR code now (it is starting, or its linked phone is offline).', 'See `details.status`: wait a few seconds and ask again, or bring the linked phone online.'),
  SENDER_CREDENTIALS_REFUSED: spec('unprocessable', 'The provider refused the sender\'s instance id or token.', 'Check the instance in the provider\'s console and update the token with `PATCH /v1/senders/{id}`.'),
  SENDER_PROVIDER_UNAVAILABLE: spec('unavailable', 'The sender\'s provider could not be reached or answered with an error.', 'Retry shortly; check the sender\'s base URL with `GET /v1/senders/{id}`.'),
  EMULATOR_NOT_RUNNING: spec('not_found', 'The built-in WhatsApp emulator does not run in this Parley process, so there is no emulator phone.', 'Start Parley with `parley start` and PARLEY_EMULATOR=on (or auto on a fresh database) to use the emulator phone.'),
  EMULATOR_SENDER_NOT_FOUND: spec('not_found', 'No Cloud API or UltraMsg sender of this workspace sends through the built-in emulator with this id.', 'Pick one of the numbers `GET /v1/emulator/phone` lists.'),
  EMULATOR_NOT_ON_ULTRAMSG: spec('invalid', 'UltraMsg cannot carry this from a customer (it has no reactions, buttons or lists, and the emulator\'s UltraMsg instances report reading by themselves).', 'Send text or a photo to an UltraMsg number; the other actions are for Cloud API numbers.'),
  EMULATOR_REFUSED: spec('invalid', 'The emulator refused what the phone asked.', 'Read `message` for what to fix.'),
  EMULATOR_UNAVAILABLE: spec('unavailable', 'The built-in emulator did not answer.', 'Retry shortly; it runs in the same process, so a restart of Parley brings it back.'),
  SENDER_UNAVAILABLE: spec('unprocessable', 'No active sender can send this message.', 'Add a sender with `POST /v1/senders`, enable it, or name one with `from`.'),

  // Messages (outbound)
  MESSAGE_NOT_FOUND: spec('not_found', 'No such message in this workspace.', 'Check the id returned when the message was accepted.'),
  GATEWAY_TEMPLATE_UNKNOWN: spec('invalid', 'The sender’s WhatsApp Business Account has no template with this name in this language (Meta 132001).', 'Check `template.name` and `template.language.code`, or create the template; on a miss Parley re-reads the account’s templates from the provider (at most every 30 s).'),
  GATEWAY_PROVIDER_UNAVAILABLE: spec('unavailable', 'The sender’s provider could not be reached or did not answer in Graph’s format.', 'Retry shortly; check the sender’s base URL with GET /v1/senders.'),
  MESSAGE_NOT_CANCELLABLE: spec('conflict', 'The message can no longer be cancelled: it is already with the provider or finished.', 'Only queued or scheduled messages can be cancelled; read its status with `GET /v1/messages/{id}`.'),
  RECIPIENT_INVALID: spec('invalid', 'The recipient is not a valid phone number.', 'Send `to` in E.164 form, such as +5511987654321, or a `contactId`.'),
  CONTENT_INVALID: spec('invalid', 'The message content is not valid for its type.', 'Fix the field named in `field`; the limits follow WhatsApp\'s (see /openapi.json).'),
  MESSAGE_REFUSED: spec('unprocessable', 'A policy gate refused this message.', 'Read `details.decisions`: it names the gate and the reason; for a closed 24-hour window send a template or an intent.'),
  BATCH_TOO_LARGE: spec('too_large', 'A batch holds at most 1,000 messages.', 'Split the batch into several requests of up to 1,000 messages.'),
  REACTION_TARGET_UNKNOWN: spec('unprocessable', 'The message to react to is unknown or has no provider id yet.', 'React to a message that was delivered or received; pass its Parley id or its wamid.'),

  // Uploaded media for outbound messages (src/uploads/)
  MEDIA_EMPTY: spec('invalid', 'The upload has no body: the request body must be the file\'s bytes.', 'Send the file as the request body, with Content-Type set to its MIME type and its name in `?filename=` or Content-Disposition.'),
  MEDIA_TYPE_UNSUPPORTED: spec('unsupported_media_type', 'WhatsApp does not take files of this MIME type.', 'Send one of the types in `details.supported` (Meta\'s media table): JPEG or PNG images, MP4 or 3GPP video, AAC, AMR, MP3, MP4 or OGG audio, PDF, text or Office documents.'),
  MEDIA_TOO_LARGE: spec('too_large', 'The file is larger than WhatsApp (or this Parley) takes for its type.', 'Send a file of at most `details.maxBytes` bytes: compress it, or send it as a document link.'),
  MEDIA_CONTENT_MISMATCH: spec('invalid', 'The file\'s bytes are not of the type its Content-Type declares.', 'Send the file\'s real MIME type as Content-Type (a PNG starts with the PNG signature, a PDF with %PDF-).'),
  MEDIA_FILENAME_INVALID: spec('invalid', 'The file name is not acceptable.', 'Give a file name of 1 to 240 characters without control characters or path separators.'),
  MEDIA_NOT_FOUND: spec('not_found', 'No such upload in this workspace (never uploaded, purged after 24 hours unused, or erased).', 'Upload the file again with `POST /v1/media` and send the new id.'),
  MEDIA_KIND_MISMATCH: spec('invalid', 'The upload cannot be sent as this message type.', 'Send an image upload as `image`, a document as `document`, audio as `audio`, video as `video` (the upload\'s `mimeType` decides).'),

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
  DATABASE_UNAVAILABLE: spec('unavailable', 'The database could not be reached, so the request could not be completed.', 'Retry after the seconds in the Retry-After header, with the same Idempotency-Key where the endpoint takes one (a retry then cannot act twice); GET /readyz says when the database is back.'),
  SERVICE_UNAVAILABLE: spec('unavailable', 'The service is not ready.', 'Retry shortly; check /readyz.'),
  STORAGE_FULL: spec('unavailable', 'Parley cannot store anything right now: the disk holding its database is full. Nothing was stored.', 'Retry after the seconds in Retry-After; the operator must free disk space (see /readyz and parley_storage_free_bytes). Parley recovers by itself once there is room.'),
  INTERNAL: spec('internal', 'Something went wrong inside Parley.', 'Retry; if it persists, report the requestId to the operator.'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
