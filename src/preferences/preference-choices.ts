import type { ConsentSettings } from '../consent/consent-settings.js';
import type { CurrentConsent } from '../consent/derive-consent.js';
import { evaluateConsent } from '../consent/evaluate-consent.js';
import { CHANNELS, PURPOSES, type Channel, type Purpose } from '../consent/types.js';
import { fieldName, type Choices } from './preference-page.js';

/**
 * What the page shows ticked: exactly what the consent gate would let through now (a grant in
 * force, or no record where the policy is implicit). So a customer sees the truth, and leaving a
 * box as it is never writes a record. Pure.
 */
export function displayedChoices(current: CurrentConsent, policy: Pick<ConsentSettings, 'utility' | 'authentication'>): Choices {
  const out = {} as Choices;
  for (const purpose of PURPOSES) {
    out[purpose] = {} as Record<Channel, boolean>;
    for (const channel of CHANNELS) out[purpose][channel] = evaluateConsent(purpose, channel, current, policy).allowed;
  }
  return out;
}

export interface ChoiceChange {
  purpose: Purpose;
  channel: Channel;
  granted: boolean;
}

/** The boxes whose submitted state differs from what is in force: each becomes one ledger record. Pure. */
export function changedChoices(displayed: Choices, submitted: Record<string, unknown>): ChoiceChange[] {
  const changes: ChoiceChange[] = [];
  for (const purpose of PURPOSES) {
    for (const channel of CHANNELS) {
      const ticked = submitted[fieldName(purpose, channel)] !== undefined;
      if (ticked !== displayed[purpose][channel]) changes.push({ purpose, channel, granted: ticked });
    }
  }
  return changes;
}
