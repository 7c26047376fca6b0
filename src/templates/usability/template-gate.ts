import type { Gate, OutboundDraft, RerouteTarget, Verdict } from '../../policy/gate.js';
import { decideTemplateUsability, type UsabilityFacts } from './template-usability.js';
import { loadUsabilityFacts, wabaOfSender } from './load-usability.js';
import type { ParleyContext } from '../../runtime/context.js';
import { factCache } from '../../runtime/fact-caches.js';

export type TemplateGateFacts = { applies: false } | { applies: true; facts: UsabilityFacts };

/** The verdict for a usability decision: pass, reroute to the backup, or refuse with the code. */
export function verdictFor(draft: OutboundDraft, facts: TemplateGateFacts): Verdict {
  if (!facts.applies || !draft.template) return { outcome: 'pass', note: 'not a template message' };
  // A template Parley has never seen (not created here, not yet synced) is left to the provider: refusing
  // it would break senders whose templates live only at Meta. Known templates are checked strictly.
  if (!facts.facts.template) return { outcome: 'pass', note: `template ${draft.template.name} (${draft.template.language}) is not in Parley's catalogue; the provider decides (POST /v1/templates/sync imports it)` };
  const decision = decideTemplateUsability(facts.facts, draft.template);
  if (decision.outcome === 'usable') return { outcome: 'pass', note: `template ${decision.name} (${decision.language}) is approved and live` };
  if (decision.outcome === 'refuse') return { outcome: 'refuse', code: decision.code, reason: decision.reason };
  const to: RerouteTarget = decision.to.kind === 'template' ? { kind: 'template', template: { name: decision.to.name, language: decision.to.language } } : { kind: 'channel', channel: decision.to.channel };
  return { outcome: 'reroute', to, code: decision.code, reason: decision.reason };
}

/**
 * The policy gate "template known and usable" (M1.3). It runs on accept and again at dispatch, so a
 * template paused in between reroutes to its backup (`to: { kind: 'template', template: { name, language } }`
 * or `to: { kind: 'channel', channel }`) instead of failing at the provider with 132015.
 */
async function loadTemplateFacts(ctx: ParleyContext, draft: OutboundDraft): Promise<TemplateGateFacts> {
  if (draft.type !== 'template' || !draft.template) return { applies: false };
  const wabaId = draft.wabaId !== undefined ? draft.wabaId : await wabaOfSender(ctx, draft.workspaceId, draft.senderId);
  return { applies: true, facts: await loadUsabilityFacts(ctx, { workspaceId: draft.workspaceId, wabaId, name: draft.template.name, language: draft.template.language }) };
}

export const templateGate: Gate<TemplateGateFacts, ParleyContext> = {
  name: 'template',
  // At accept (one message) the facts are reused for up to FACTS_TTL_MS; dispatch (loadMany) reads them afresh.
  async load(ctx, draft) {
    if (draft.type !== 'template' || !draft.template) return { applies: false };
    const key = [draft.workspaceId, draft.wabaId === undefined ? `sender:${draft.senderId}` : `waba:${draft.wabaId}`, draft.template.name, draft.template.language].join('\u0000');
    const facts = await factCache<UsabilityFacts>(ctx, 'template-usability').get(key, async () => {
      const loaded = await loadTemplateFacts(ctx, draft);
      return loaded.applies ? loaded.facts : undefined;
    });
    return facts ? { applies: true, facts } : { applies: false };
  },
  // A dispatch batch often repeats the same template: load each (workspace, sender, name, language) once.
  async loadMany(ctx, drafts) {
    const cache = new Map<string, Promise<TemplateGateFacts>>();
    return Promise.all(
      drafts.map((draft) => {
        if (draft.type !== 'template' || !draft.template) return { applies: false } as const;
        const key = [draft.workspaceId, draft.senderId, draft.template.name, draft.template.language].join('\u0000');
        if (!cache.has(key)) cache.set(key, loadTemplateFacts(ctx, draft));
        return cache.get(key)!;
      }),
    );
  },
  decide(draft, facts) {
    return verdictFor(draft, facts);
  },
};
