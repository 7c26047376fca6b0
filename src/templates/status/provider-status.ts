import type { Template } from '../store/template-records.js';

/**
 * Provider status facts and what they do to a template, as pure functions.
 *
 * A fact comes from a status webhook, the reconciliation poll, or the create response. Facts arrive late,
 * twice and out of order: a fact older than the one the template reflects is recorded in the history
 * but changes nothing, and a fact repeating the current status changes nothing either.
 */
export interface ProviderFact {
  /** Meta's event (`APPROVED`, `PAUSED`, `REINSTATED`, ...) or listed status. */
  event: string;
  reason?: string | null;
  detail: Record<string, unknown>;
  at: number;
  source: 'webhook' | 'poll' | 'submit';
  providerTemplateId?: string;
  category?: string;
}

/** Statuses in which Meta delivers sends of the template. FLAGGED is a warning before a pause; sends still go. */
export const SENDABLE_STATUSES: ReadonlySet<string> = new Set(['APPROVED', 'FLAGGED']);

/** The status a template has after an event. `REINSTATED` and `UNARCHIVED` put it back into service. */
export function statusAfter(event: string): string {
  const upper = event.toUpperCase();
  if (upper === 'REINSTATED' || upper === 'UNARCHIVED') return 'APPROVED';
  return upper;
}

export type AlertType = 'template.paused' | 'template.disabled' | 'template.rejected' | 'template.reinstated' | 'template.quality_low';

export interface StatusTransition {
  /** False when the fact is older than what the template reflects: history only. */
  applies: boolean;
  status: string;
  /** The submitted version goes live (approved) or is rejected. */
  submittedOutcome: 'live' | 'rejected' | null;
  /** Set when the status changed in a way people must hear about. */
  alert: AlertType | null;
}

export function transitionFor(template: Pick<Template, 'providerStatus' | 'providerStatusAt' | 'submittedVersionId' | 'liveVersionId'>, fact: ProviderFact): StatusTransition {
  const status = statusAfter(fact.event);
  const stale = template.providerStatusAt !== null && fact.at < template.providerStatusAt;
  if (stale) return { applies: false, status, submittedOutcome: null, alert: null };
  const changed = status !== template.providerStatus;
  const submittedOutcome = template.submittedVersionId ? (status === 'APPROVED' ? 'live' : status === 'REJECTED' ? 'rejected' : null) : null;
  let alert: AlertType | null = null;
  if (changed) {
    if (status === 'PAUSED') alert = 'template.paused';
    else if (status === 'DISABLED') alert = 'template.disabled';
    else if (status === 'REJECTED') alert = 'template.rejected';
    else if (status === 'APPROVED' && (template.providerStatus === 'PAUSED' || template.providerStatus === 'DISABLED')) alert = 'template.reinstated';
  }
  return { applies: true, status, submittedOutcome, alert };
}
