import type { ParleyContext } from '../runtime/context.js';
import type { Selectable } from 'kysely';
import type { SendersTable } from '../senders/tables.js';
import type { ConsentSettings } from '../consent/consent-settings.js';
import type { UsabilityFacts } from '../templates/usability/template-usability.js';
import { TtlCache } from '../shared/ttl-cache.js';

/**
 * How long an accepting process reuses the facts an accept reads that change rarely: the sender
 * (status, WABA, provider), the workspace's consent policy and a template's usability. Changes made
 * through this process's API take effect at once (`forgetAcceptFacts`, called after every API
 * write); changes made elsewhere (another process, the worker thread's template sync and webhooks,
 * the CLI) are seen within this bound. The gates are decided again, uncached, at dispatch.
 */
export const ACCEPT_FACTS_TTL_MS = 1000;

export interface AcceptFacts {
  readonly senders: TtlCache<string, Selectable<SendersTable>>;
  readonly consentSettings: TtlCache<string, ConsentSettings>;
  readonly templates: TtlCache<string, UsabilityFacts>;
}

const byContext = new WeakMap<ParleyContext, AcceptFacts>();

/** This context's caches of accept-time facts. */
export function acceptFacts(ctx: ParleyContext): AcceptFacts {
  let facts = byContext.get(ctx);
  if (!facts) {
    facts = {
      senders: new TtlCache(ACCEPT_FACTS_TTL_MS),
      consentSettings: new TtlCache(ACCEPT_FACTS_TTL_MS),
      templates: new TtlCache(ACCEPT_FACTS_TTL_MS),
    };
    byContext.set(ctx, facts);
  }
  return facts;
}

const listeners = new WeakMap<ParleyContext, Set<() => void>>();

/**
 * Drops every cached accept fact of this context: the next accept reads the database. Called after
 * API writes and when provider facts (template status, quality) or a sync change what accepts read.
 * Listeners hear of it (`parley start`'s worker thread passes it on to the main thread, which accepts).
 */
export function forgetAcceptFacts(ctx: ParleyContext, options: { quiet?: boolean } = {}): void {
  const facts = byContext.get(ctx);
  if (facts) {
    facts.senders.clear();
    facts.consentSettings.clear();
    facts.templates.clear();
  }
  if (!options.quiet) for (const listener of listeners.get(ctx) ?? []) listener();
}

/** Subscribes to `forgetAcceptFacts(ctx)`; returns the unsubscribe function. */
export function onAcceptFactsForgotten(ctx: ParleyContext, listener: () => void): () => void {
  let set = listeners.get(ctx);
  if (!set) listeners.set(ctx, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}
