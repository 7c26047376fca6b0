// Why a message failed, in words an agent can act on, from the error code the API gives
// (`error.code` of a timeline message: Meta's code, Parley's transport code, or a refusal code).

const EXPLAINED: Record<string, string> = {
  '131047': 'More than 24 hours passed since the customer last wrote, so WhatsApp refused free text. Send an approved template instead.',
  '470': 'More than 24 hours passed since the customer last wrote, so WhatsApp refused free text. Send an approved template instead.',
  '131026': 'WhatsApp could not deliver to this number: it may not be on WhatsApp, use an old app, or not have accepted the terms.',
  '131049': 'WhatsApp held this message back to keep engagement healthy (too many marketing messages to this person). Try again later, or wait for the customer to write.',
  '131050': 'The customer stopped marketing messages from this business.',
  '131048': 'WhatsApp limited this number for spam: earlier messages were blocked or reported. Check the number\'s quality before sending more.',
  '131056': 'Too many messages to this customer in a short time. Wait a little before sending again.',
  '130429': 'The number hit its sending rate limit. Parley retries by itself.',
  '131021': 'The customer\'s number is the business\'s own number.',
  '131051': 'WhatsApp does not support this kind of message.',
  '131052': 'WhatsApp could not download the attached media. Check that its link is public and reachable.',
  '131053': 'WhatsApp could not use the attached media (wrong type or too large).',
  '132000': 'The template\'s parameters do not match the template: give one value per placeholder.',
  '132001': 'The template does not exist in this language or is not approved.',
  '132005': 'The template is too long once its parameters are filled in.',
  '132007': 'The template breaks a WhatsApp policy.',
  '132015': 'The template is paused for low quality.',
  '132016': 'The template is disabled.',
  '368': 'The business number is temporarily blocked for policy violations.',
  '190': 'The sender\'s access token expired: an admin must update the sender\'s credentials.',
  network: 'Parley could not reach WhatsApp.',
  timeout: 'WhatsApp did not answer in time.',
  window_closed: 'The 24-hour window is closed, so free text could not be sent. Send an approved template instead.',
  suppressed: 'The customer is on a suppression list for this kind of message.',
  expired: 'The message could not be sent before its validity ended.',
  consent_withdrawn: 'The customer withdrew their consent.',
  consent_no_opt_in: 'The customer has not opted in to this kind of message.',
  template_paused: 'The template is paused for low quality and has no backup.',
  template_disabled: 'The template is disabled and has no backup.',
  template_not_live: 'The template has no approved version.',
};

/** The explanation of a failed, refused or expired message: the known words for its code, else what the API said. */
export function explainFailure(error: { code: string | null; message: string | null } | null): string {
  if (!error) return 'The message was not delivered; the provider gave no reason.';
  const known = error.code ? EXPLAINED[error.code] : undefined;
  if (known) return known;
  if (error.message) return error.message;
  return `The provider refused the message (error ${error.code}).`;
}
