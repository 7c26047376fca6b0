import type { Gate } from './gate.js';
import { isWindowOpen, windowClosesAt } from '../../conversations/service-window.js';
import { capabilitiesOfName } from '../../channels/capabilities.js';
import { readWindow, readWindows } from '../../conversations/window-queries.js';

/** Types Meta lets a business send outside the window. */
const ALLOWED_OUTSIDE_WINDOW = new Set(['template']);

type WindowFacts = { lastInboundAt: number | null };

export const windowGate: Gate<WindowFacts> = {
  name: 'service-window',
  async load(ctx, draft) {
    if (draft.newContact) return { lastInboundAt: null };
    return { lastInboundAt: await readWindow(ctx.db, draft.senderId, draft.contactId) };
  },
  async loadMany(ctx, drafts) {
    const contactIds = [...new Set(drafts.map((d) => d.contactId))];
    const windows = await readWindows(ctx.db, contactIds);
    const byPair = new Map(windows.map((w) => [`${w.senderId} ${w.contactId}`, w.lastInboundAt]));
    return drafts.map((d) => ({ lastInboundAt: byPair.get(`${d.senderId} ${d.contactId}`) ?? null }));
  },
  decide(draft, facts, now) {
    if (!capabilitiesOfName(draft.provider).serviceWindow || ALLOWED_OUTSIDE_WINDOW.has(draft.type)) return { outcome: 'pass' };
    if (facts.lastInboundAt !== null && isWindowOpen(facts.lastInboundAt, now)) {
      return { outcome: 'pass', note: `window open until ${new Date(windowClosesAt(facts.lastInboundAt)).toISOString()}` };
    }
    const reason =
      facts.lastInboundAt === null
        ? 'The customer has never written to this number, so only templates may be sent (the 24-hour window is closed).'
        : `The customer last wrote at ${new Date(facts.lastInboundAt).toISOString()}, more than 24 hours ago: only templates may be sent.`;
    return { outcome: 'refuse', code: 'window_closed', reason };
  },
};
