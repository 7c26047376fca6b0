import { TtlCache } from '../shared/ttl-cache.js';
import type { ParleyContext } from './context.js';

/**
 * How long a process reuses the facts its hot paths read that change rarely: the sender (status,
 * account, provider), the workspace and its consent policy, a template's usability. Each module
 * keeps its own facts in a named cache of this context (`factCache`). Changes made through this
 * process's API take effect at once (`forgetFacts`, called after every API write but a send, and
 * passed between `parley start`'s two threads); changes made elsewhere (another process, the CLI)
 * are seen within this bound. At dispatch the gates read the contact, its consent records and
 * suppressions afresh; only the workspace's policy is reused.
 */
export const FACTS_TTL_MS = 1000;

const byContext = new WeakMap<ParleyContext, Map<string, TtlCache<string, unknown>>>();
const listeners = new WeakMap<ParleyContext, Set<() => void>>();

/** This context's cache named `name` (one per kind of fact; the owning module names it once). */
export function factCache<V>(ctx: ParleyContext, name: string): TtlCache<string, V> {
  let caches = byContext.get(ctx);
  if (!caches) byContext.set(ctx, (caches = new Map()));
  let cache = caches.get(name);
  if (!cache) caches.set(name, (cache = new TtlCache<string, unknown>(FACTS_TTL_MS)));
  return cache as TtlCache<string, V>;
}

/**
 * Drops every cached fact of this context: the next accept reads the database. Called after API
 * writes and when provider facts (template status, quality) or a sync change what accepts read.
 * Listeners hear of it (`parley start`'s worker thread passes it on to the main thread, which accepts).
 */
export function forgetFacts(ctx: ParleyContext, options: { quiet?: boolean } = {}): void {
  for (const cache of byContext.get(ctx)?.values() ?? []) cache.clear();
  if (!options.quiet) for (const listener of listeners.get(ctx) ?? []) listener();
}

/** Subscribes to `forgetFacts(ctx)`; returns the unsubscribe function. */
export function onFactsForgotten(ctx: ParleyContext, listener: () => void): () => void {
  let set = listeners.get(ctx);
  if (!set) listeners.set(ctx, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}
