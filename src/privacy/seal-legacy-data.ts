import type { ParleyContext } from '../runtime/context.js';
import { sealLegacyProviderIds, stripLegacyEventProviderIds } from '../messages/seal-legacy.js';
import { rekeyLegacyLogOutcomes, sealLegacyPendingStatuses, sealLegacyQueuedDomainEvents } from '../webhooks/seal-legacy.js';
import { sealLegacyContactLists } from '../contacts/seal-legacy.js';

/** The `data_backfills` row migration 0008 adds. */
export const SEAL_PERSONAL_DATA = '0008-seal-personal-data';

export interface SealReport {
  ran: boolean;
  messages: number;
  messageEvents: number;
  pendingStatuses: number;
  logOutcomes: number;
  domainEvents: number;
  contacts: number;
}

/**
 * Converts rows written before migration 0008 (which changes only the schema: a migration has no
 * keys) to the form Parley now stores, with the master key:
 * - messages: the clear provider id (now in `provider_id_sealed`) is sealed and its keyed hash set;
 * - message_events: dispatch attempts lose the provider id they carried in clear;
 * - pending_statuses: the clear id (now in `provider_id_hash`) is hashed and the item sealed;
 * - webhook_log: outcome keys naming provider ids get the keyed hash instead;
 * - webhook_domain_events: queued `message.inbound` events get the customer's words sealed;
 * - contacts: attributes and tags are sealed and their search rows rebuilt as keyed hashes.
 *
 * Every Parley process runs it at boot, right after migrating (`main/run.ts`); once finished it
 * marks the `data_backfills` row done, and later boots cost one primary-key read. It walks each table
 * once in key order, in batches; encryption happens outside transactions, and each write is
 * conditional on the row still being in its old form, so processes starting together (PostgreSQL) may
 * both run it without harm. Readers accept both forms meanwhile.
 */
export async function sealLegacyPersonalData(ctx: ParleyContext): Promise<SealReport> {
  const report: SealReport = { ran: false, messages: 0, messageEvents: 0, pendingStatuses: 0, logOutcomes: 0, domainEvents: 0, contacts: 0 };
  const marker = await ctx.db.selectFrom('data_backfills').select('done_at').where('name', '=', SEAL_PERSONAL_DATA).executeTakeFirst();
  if (!marker || marker.done_at !== null) return report;
  report.ran = true;
  report.messages = await sealLegacyProviderIds(ctx.db, ctx.keyring);
  report.messageEvents = await stripLegacyEventProviderIds(ctx.db);
  report.pendingStatuses = await sealLegacyPendingStatuses(ctx.db, ctx.keyring);
  report.logOutcomes = await rekeyLegacyLogOutcomes(ctx.db, ctx.keyring);
  report.domainEvents = await sealLegacyQueuedDomainEvents(ctx.db, ctx.keyring);
  report.contacts = await sealLegacyContactLists(ctx.db, ctx.keyring);
  await ctx.db.updateTable('data_backfills').set({ done_at: ctx.clock.now() }).where('name', '=', SEAL_PERSONAL_DATA).execute();
  ctx.logger.info(report, 'personal data stored before 0008 sealed');
  return report;
}
