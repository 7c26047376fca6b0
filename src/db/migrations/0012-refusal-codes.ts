import { sql } from 'kysely';
import type { Migration } from './types.js';

// Refusal codes in one spelling, lower snake_case (decision 0012). The codes that were spelled in
// upper case are rewritten where they are stored: a refused message's `error_code`, its dead letter,
// and the history in `message_events.detail` (the accept event's answer, replayed for the same
// Idempotency-Key, and the decision log), written by JSON.stringify as `"code":"<code>"`.
// The list is fixed here rather than read from the registry: a shipped migration does not change.
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ['CONSENT_NO_OPT_IN', 'consent_no_opt_in'],
  ['CONSENT_WITHDRAWN', 'consent_withdrawn'],
  ['CONSENT_CONTACT_UNKNOWN', 'consent_contact_unknown'],
  ['CONSENT_CONTACT_ERASED', 'consent_contact_erased'],
  ['TEMPLATE_NOT_FOUND', 'template_not_found'],
  ['TEMPLATE_PARAMETERS_MISMATCH', 'template_parameters_mismatch'],
  ['TEMPLATE_PARAMETER_INVALID', 'template_parameter_invalid'],
  ['TEMPLATE_PAUSED', 'template_paused'],
  ['TEMPLATE_DISABLED', 'template_disabled'],
  ['TEMPLATE_REJECTED', 'template_rejected'],
  ['TEMPLATE_NOT_LIVE', 'template_not_live'],
  ['FALLBACK_CHANNEL_UNAVAILABLE', 'fallback_channel_unavailable'],
  ['INTENT_NOT_FOUND', 'intent_not_found'],
  ['INTENT_PARAMETERS_MISSING', 'intent_parameters_missing'],
  ['INTENT_INVALID', 'intent_invalid'],
  ['INTENT_NEEDS_TEMPLATE', 'intent_needs_template'],
];

export const migration: Migration = {
  // One pass over each table (the history is not indexed by code), whatever the number of codes.
  async up(db) {
    const renamed = RENAMED.map(([before]) => before);
    const renamedCode = (column: string) => sql<string>`case ${sql.ref(column)} ${sql.join(RENAMED.map(([before, after]) => sql`when ${before} then ${after}`), sql` `)} end`;
    await db.updateTable('messages').set({ error_code: renamedCode('error_code') }).where('error_code', 'in', renamed).execute();
    await db.updateTable('dead_letters').set({ error_code: renamedCode('error_code') }).where('error_code', 'in', renamed).execute();
    const quoted = (code: string) => `"code":"${code}"`;
    const detail = RENAMED.reduce((text, [before, after]) => sql<string>`replace(${text}, ${quoted(before)}, ${quoted(after)})`, sql<string>`detail`);
    await db
      .updateTable('message_events')
      .set({ detail })
      .where((eb) => eb.or(RENAMED.map(([before]) => eb('detail', 'like', `%${quoted(before)}%`))))
      .execute();
  },
};
