import type { Gate } from './gate.js';
import { suppressionsOfContact, suppressionsOfContacts, type Suppression } from '../../suppressions/suppression-queries.js';

type SuppressionFacts = Suppression[];

/** Contacts Parley must not message at all (`all`) or must not market to (`marketing`). */
export const suppressionGate: Gate<SuppressionFacts> = {
  name: 'suppression',
  async load(ctx, draft) {
    if (draft.newContact) return [];
    return suppressionsOfContact(ctx.db, draft.workspaceId, draft.contactId);
  },
  async loadMany(ctx, drafts) {
    const byContact = await suppressionsOfContacts(ctx.db, drafts.map((d) => d.contactId));
    return drafts.map((d) => byContact.get(d.contactId) ?? []);
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
