import type { Db } from '../db/database.js';
import type { ParleyContext } from '../runtime/context.js';
import { factCache } from '../runtime/fact-caches.js';
import { getWorkspace, updateWorkspaceSettings } from '../workspaces/workspace-queries.js';
import { CHANNELS, PURPOSES, type Channel, type Purpose } from './types.js';

/**
 * A workspace's consent policy, stored under `settings.consent`.
 *
 * - `utility`, `authentication`: `implicit` (default) lets these purposes through without a
 *   record, unless the contact withdrew them on that channel: a customer who gave their number for an
 *   order expects the order's updates and the codes they ask for. `opt_in` requires a live grant,
 *   like marketing. Marketing always requires a live grant; service is always allowed unless withdrawn.
 * - `optOutChannels`: the channels an opt-out (keyword, button, provider signal) is recorded for
 *   (default all three: a customer who says STOP on WhatsApp does not want the SMS either).
 * - `optOutPurposes`: the purposes a keyword or button opt-out withdraws, and an opt-in grants again
 *   (default marketing: Meta's own opt-out signal is about marketing, and a STOP should not cut off
 *   the delivery updates of an order in progress). Provider signals always withdraw marketing only.
 * - `optOutPayloads`, `optInPayloads`: quick-reply / interactive payloads that mean opt-out / opt-in.
 * - `confirmations`: whether a keyword or button opt-out/opt-in is confirmed to the customer.
 */
export const CONSENT_POLICIES = ['implicit', 'opt_in'] as const;
export type ConsentPolicy = (typeof CONSENT_POLICIES)[number];

export interface ConsentSettings {
  utility: ConsentPolicy;
  authentication: ConsentPolicy;
  optOutChannels: Channel[];
  optOutPurposes: Purpose[];
  optOutPayloads: string[];
  optInPayloads: string[];
  confirmations: boolean;
}

export const DEFAULT_CONSENT_SETTINGS: Readonly<ConsentSettings> = Object.freeze<ConsentSettings>({
  utility: 'implicit',
  authentication: 'implicit',
  optOutChannels: [...CHANNELS],
  optOutPurposes: ['marketing'],
  optOutPayloads: ['STOP', 'UNSUBSCRIBE', 'OPT_OUT'],
  optInPayloads: ['START', 'SUBSCRIBE', 'OPT_IN'],
  confirmations: true,
});

const policy = (v: unknown, fallback: ConsentPolicy): ConsentPolicy => ((CONSENT_POLICIES as readonly unknown[]).includes(v) ? (v as ConsentPolicy) : fallback);
const subset = <T extends string>(v: unknown, allowed: readonly T[], fallback: readonly T[]): T[] =>
  Array.isArray(v) && v.every((x) => allowed.includes(x)) ? [...new Set(v as T[])] : [...fallback];
const strings = (v: unknown, fallback: readonly string[]): string[] => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...(v as string[])] : [...fallback]);

/** The consent settings in a workspace's settings object, with defaults for what is absent. Pure. */
export function readConsentSettings(settings: Record<string, unknown>): ConsentSettings {
  const raw = (typeof settings.consent === 'object' && settings.consent !== null ? settings.consent : {}) as Record<string, unknown>;
  const d = DEFAULT_CONSENT_SETTINGS;
  return {
    utility: policy(raw.utility, d.utility),
    authentication: policy(raw.authentication, d.authentication),
    optOutChannels: subset(raw.optOutChannels, CHANNELS, d.optOutChannels),
    optOutPurposes: subset(raw.optOutPurposes, PURPOSES, d.optOutPurposes),
    optOutPayloads: strings(raw.optOutPayloads, d.optOutPayloads),
    optInPayloads: strings(raw.optInPayloads, d.optInPayloads),
    confirmations: typeof raw.confirmations === 'boolean' ? raw.confirmations : d.confirmations,
  };
}

/**
 * The workspace's consent settings as the hot paths read them (each accept, each dispatch batch, each
 * customer message): at most once per FACTS_TTL_MS per process, and at once after an API write
 * (`fact-caches.ts`).
 */
export function cachedConsentSettings(ctx: ParleyContext, workspaceId: string): Promise<ConsentSettings> {
  return factCache<ConsentSettings>(ctx, 'consent-settings').get(workspaceId, () => loadConsentSettings(ctx.db, workspaceId)) as Promise<ConsentSettings>;
}

export async function loadConsentSettings(db: Db, workspaceId: string): Promise<ConsentSettings> {
  const workspace = await getWorkspace(db, workspaceId);
  return readConsentSettings(workspace?.settings ?? {});
}

/** Merges `patch` into the workspace's consent settings; returns the result, or undefined for an unknown workspace. */
export async function updateConsentSettings(db: Db, workspaceId: string, patch: Partial<ConsentSettings>): Promise<ConsentSettings | undefined> {
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) return undefined;
  const next = { ...readConsentSettings(workspace.settings), ...patch };
  await updateWorkspaceSettings(db, workspaceId, { consent: next });
  return next;
}
