import type { Gate } from './gate.js';
import { HOUR } from '../../shared/time.js';

/** Meta's customer-service window: free-form messages only within 24 h of the customer's last message. */
export const SERVICE_WINDOW = 24 * HOUR;

/** Types Meta lets a business send outside the window. */
const ALLOWED_OUTSIDE_WINDOW = new Set(['template']);

type WindowFacts = { lastInboundAt: number | null };

export const windowGate: Gate<WindowFacts> = {
  name: 'service-window',
  async load(ctx, draft) {
    if (draft.newContact) return { lastInboundAt: null };
    const row = await ctx.db.selectFrom('service_windows').select('last_inbound_at').where('sender_id', '=', draft.senderId).where('contact_id', '=', draft.contactId).executeTakeFirst();
    return { lastInboundAt: row?.last_inbound_at ?? null };
  },
  async loadMany(ctx, drafts) {
    const contactIds = [...new Set(drafts.map((d) => d.contactId))];
    const rows = contactIds.length
      ? await ctx.db.selectFrom('service_windows').select(['sender_id', 'contact_id', 'last_inbound_at']).where('contact_id', 'in', contactIds).execute()
      : [];
    const byPair = new Map(rows.map((r) => [`${r.sender_id} ${r.contact_id}`, r.last_inbound_at]));
    return drafts.map((d) => ({ lastInboundAt: byPair.get(`${d.senderId} ${d.contactId}`) ?? null }));
  },
  decide(draft, facts, now) {
    // UltraMsg drives a linked WhatsApp account: no 24-hour rule there.
    if (draft.provider !== 'cloud' || ALLOWED_OUTSIDE_WINDOW.has(draft.type)) return { outcome: 'pass' };
    if (facts.lastInboundAt !== null && now - facts.lastInboundAt < SERVICE_WINDOW) {
      return { outcome: 'pass', note: `window open until ${new Date(facts.lastInboundAt + SERVICE_WINDOW).toISOString()}` };
    }
    const reason =
      facts.lastInboundAt === null
        ? 'The customer has never written to this number, so only templates may be sent (the 24-hour window is closed).'
        : `The customer last wrote at ${new Date(facts.lastInboundAt).toISOString()}, more than 24 hours ago: only templates may be sent.`;
    return { outcome: 'refuse', code: 'window_closed', reason };
  },
};
