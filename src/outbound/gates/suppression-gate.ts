import type { Gate } from './gate.js';

type SuppressionFacts = Array<{ scope: 'all' | 'marketing'; reason: string; expiresAt: number | null }>;

/** Contacts Parley must not message at all (`all`) or must not market to (`marketing`). */
export const suppressionGate: Gate<SuppressionFacts> = {
  name: 'suppression',
  async load(ctx, draft) {
    if (draft.newContact) return [];
    const rows = await ctx.db.selectFrom('suppressions').select(['scope', 'reason', 'expires_at']).where('workspace_id', '=', draft.workspaceId).where('contact_id', '=', draft.contactId).execute();
    return rows.map((r) => ({ scope: r.scope, reason: r.reason, expiresAt: r.expires_at }));
  },
  async loadMany(ctx, drafts) {
    const contactIds = [...new Set(drafts.map((d) => d.contactId))];
    const rows = contactIds.length ? await ctx.db.selectFrom('suppressions').select(['contact_id', 'scope', 'reason', 'expires_at']).where('contact_id', 'in', contactIds).execute() : [];
    return drafts.map((d) => rows.filter((r) => r.contact_id === d.contactId).map((r) => ({ scope: r.scope, reason: r.reason, expiresAt: r.expires_at })));
  },
  decide(draft, facts, now) {
    for (const s of facts) {
      if (s.expiresAt !== null && s.expiresAt <= now) continue;
      if (s.scope === 'all' || (s.scope === 'marketing' && draft.lane === 'marketing')) {
        return { outcome: 'refuse', code: 'suppressed', reason: `The contact is suppressed (${s.scope}): ${s.reason}` };
      }
    }
    return { outcome: 'pass' };
  },
};
