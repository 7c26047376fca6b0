/**
 * Every code a policy gate, the intent resolver or a reroute can refuse a message with: the closed
 * vocabulary of `decisions[].code`, a refused message's `error.code` and the 422 MESSAGE_REFUSED's
 * `details.code`. Lower snake_case, stable: clients match on them. The description says why the
 * message was not sent, the hint what to do; `ends` is the status the refused message ends in.
 * A gate cannot refuse with a code that is not here (`Verdict['code']` is `RefusalCode`).
 * Decision 0012 lists the codes' earlier spellings, which migration 0012 rewrote in stored rows.
 */
export interface RefusalSpec {
  description: string;
  hint: string;
  ends: 'refused' | 'expired';
}

const spec = (description: string, hint: string, ends: RefusalSpec['ends'] = 'refused'): RefusalSpec => ({ description, hint, ends });

export const REFUSAL_CODES = {
  // Validity, suppression, the 24-hour window (src/outbound/gates/)
  expired: spec('The message’s validity (`validUntil`) ended before it could be sent.', 'Send it again with a later `validUntil`, if it still matters.', 'expired'),
  suppressed: spec('The contact is suppressed for this kind of message (opt-out, bounce, a provider’s stop).', 'Check the contact’s suppressions; lift one only with the contact’s agreement.'),
  window_closed: spec('The 24-hour customer service window is closed, so free-form messages cannot be sent.', 'Send an approved template, or an intent with a template; or wait for the customer to write.'),

  // Consent (src/consent/)
  consent_no_opt_in: spec('The purpose needs an opt-in on this channel and none is in force.', 'Record the contact’s opt-in with `POST /v1/contacts/{id}/consent`.'),
  consent_withdrawn: spec('The contact withdrew consent for this purpose on this channel.', 'Do not send; only the contact can grant it again.'),
  consent_contact_unknown: spec('No such contact in this workspace.', 'Send to a number, or to a contact id of this workspace.'),
  consent_contact_erased: spec('The contact was erased on request; nothing may be sent to it.', 'Do not send; an erased contact stays erased.'),

  // Templates (src/templates/usability/)
  template_not_found: spec('The template does not exist for the sender’s WhatsApp Business Account in Parley.', 'Create it, or import it with `POST /v1/templates/sync`.'),
  template_parameters_mismatch: spec('The message’s body parameters do not match the template’s placeholders.', 'Pass one value per placeholder of the live version.'),
  template_parameter_invalid: spec('A value the intent passes to its template is not acceptable to the provider.', 'Fix the intent’s parameter named in the reason.'),
  template_paused: spec('The provider paused the template for low quality and it has no usable backup.', 'Configure a backup (`PUT /v1/templates/{id}/backup`), or wait for the pause to end.'),
  template_disabled: spec('The provider disabled the template and it has no usable backup.', 'Create and submit a new template; configure a backup for the meantime.'),
  template_rejected: spec('The provider rejected the template and it has no usable backup.', 'Fix the rejection reason in a new version and submit it.'),
  template_not_live: spec('The template has no version approved by the provider, and no usable backup.', 'Submit a version and wait for approval, or send another template.'),
  fallback_channel_unavailable: spec('The template’s backup is another channel (SMS, email), which this Parley cannot send on.', 'Configure a backup template instead of a channel, or send another template.'),

  // Intents (src/templates/intents/)
  intent_not_found: spec('No intent of that name in this workspace.', 'List intents with `GET /v1/intents`.'),
  intent_parameters_missing: spec('The intent’s text needs parameters that were not given.', 'Pass every parameter the intent’s text names in `intent.params`.'),
  intent_invalid: spec('The intent has neither text nor template.', 'Give it a text or a template with `PUT /v1/intents/{name}`.'),
  intent_needs_template: spec('The 24-hour window is closed and the intent has no template.', 'Give the intent a template (`PUT /v1/intents/{name}`), or wait for the customer to write.'),
} as const satisfies Record<string, RefusalSpec>;

export type RefusalCode = keyof typeof REFUSAL_CODES;

/** The codes, in the registry's order. */
export const REFUSAL_CODE_LIST = Object.keys(REFUSAL_CODES) as RefusalCode[];

export const isRefusalCode = (value: unknown): value is RefusalCode => typeof value === 'string' && Object.hasOwn(REFUSAL_CODES, value);
