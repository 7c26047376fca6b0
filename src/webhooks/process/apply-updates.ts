import type { Db } from '../../db/database.js';
import type { PhoneQualityItem, ProviderErrorItem, TemplateUpdateItem, UserPreferenceItem } from '../../channels/webhook-items.js';
import type { ApplyResults, WorkItem } from './work.js';

/**
 * Template status and quality updates: stored once (dedup on template, event and time) and
 * announced as `template.status` / `template.quality` for the templates module.
 */
export async function applyTemplateUpdates(db: Db, works: WorkItem[], results: ApplyResults, now: number): Promise<void> {
  for (const work of works) {
    const item = work.item as TemplateUpdateItem;
    const inserted = await db
      .insertInto('template_updates')
      .values({
        kind: item.update,
        waba_id: item.wabaId,
        template_key: item.templateId ?? `${item.name}:${item.language}`,
        template_id: item.templateId ?? null,
        name: item.name,
        language: item.language,
        event: item.event,
        previous: item.previous ?? null,
        reason: item.reason ?? null,
        category: item.category ?? null,
        detail: JSON.stringify(item.detail),
        at: item.at,
        received_at: now,
      })
      .onConflict((oc) => oc.columns(['kind', 'waba_id', 'template_key', 'event', 'at']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      results.set(work, 'duplicate');
      continue;
    }
    results.set(work, 'applied');
    const base = { wabaId: item.wabaId, ...(item.templateId ? { templateId: item.templateId } : {}), name: item.name, language: item.language, at: item.at };
    if (item.update === 'status') {
      results.domainEvents.push({ type: 'template.status', ...base, event: item.event, reason: item.reason ?? null, detail: { ...item.detail, ...(item.category ? { category: item.category } : {}) } });
    } else {
      results.domainEvents.push({ type: 'template.quality', ...base, ...(item.previous ? { previousScore: item.previous } : {}), newScore: item.event });
    }
  }
}

/** Phone number quality / messaging limit updates: stored, and announced when the number is a known sender. */
export async function applyPhoneQuality(db: Db, works: WorkItem[], results: ApplyResults, now: number): Promise<void> {
  for (const work of works) {
    const item = work.item as PhoneQualityItem;
    const inserted = await db
      .insertInto('phone_number_updates')
      .values({
        sender_id: work.sender?.id ?? null,
        waba_id: item.wabaId,
        display_phone: item.displayPhone,
        event: item.event,
        current_limit: item.currentLimit ?? null,
        detail: JSON.stringify(item.detail),
        at: item.at,
        received_at: now,
      })
      .onConflict((oc) => oc.columns(['waba_id', 'display_phone', 'event', 'at']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      results.set(work, 'duplicate');
      continue;
    }
    results.set(work, 'applied', work.sender ? undefined : 'stored; no sender has this display number');
    if (work.sender) {
      results.domainEvents.push({ type: 'phone_number.quality', senderId: work.sender.id, event: item.event, ...(item.currentLimit ? { currentLimit: item.currentLimit } : {}), detail: { ...item.detail, wabaId: item.wabaId, displayPhone: item.displayPhone }, at: item.at });
    }
  }
}

/** Errors reported outside any message (`value.errors[]`), kept per sender. */
export async function applyProviderErrors(db: Db, works: WorkItem[], results: ApplyResults): Promise<void> {
  if (!works.length) return;
  const inserted = await db
    .insertInto('provider_errors')
    .values(
      works.map((work) => {
        const item = work.item as ProviderErrorItem;
        return {
          log_seq: work.rowSeq,
          position: item.position,
          provider: item.provider,
          sender_id: work.sender?.id ?? null,
          code: item.error.code,
          title: item.error.title ?? null,
          detail: JSON.stringify(item.error),
          at: item.at,
        };
      }),
    )
    .onConflict((oc) => oc.columns(['log_seq', 'position']).doNothing())
    .returning(['log_seq', 'position'])
    .execute();
  const fresh = new Set(inserted.map((r) => `${r.log_seq}:${r.position}`));
  for (const work of works) results.set(work, fresh.has(`${work.rowSeq}:${(work.item as ProviderErrorItem).position}`) ? 'applied' : 'duplicate');
}

/** `user_preferences`: a customer stopping marketing messages is announced as `contact.marketing_stopped`. */
export function applyUserPreferences(works: WorkItem[], results: ApplyResults): void {
  for (const work of works) {
    const item = work.item as UserPreferenceItem;
    const stops = item.category === 'marketing_messages' && item.value === 'stop';
    if (stops && work.contactId) {
      results.domainEvents.push({ type: 'contact.marketing_stopped', workspaceId: work.sender!.workspaceId, contactId: work.contactId, source: 'user_preferences', at: item.at });
      results.set(work, 'applied');
    } else {
      results.set(work, 'ignored', `preference ${item.category}=${item.value} is not acted on`);
    }
  }
}
