import { settingsSection } from '../workspaces/settings-section.js';
import { HOUR } from '../shared/time.js';
import type { ConversationRules } from './state-machine.js';

/** A resolved conversation reopens on a customer message within this period (`settings.conversations.reopenPeriodHours`). */
export const DEFAULT_REOPEN_PERIOD_HOURS = 48;

/** The workspace's conversation rules from its settings (`settings.conversations`), defaults for what is absent. */
export function conversationRules(settings: Record<string, unknown>): ConversationRules {
  const hours = settingsSection(settings, 'conversations').reopenPeriodHours;
  const valid = typeof hours === 'number' && Number.isFinite(hours) && hours >= 0 && hours <= 24 * 365;
  return { reopenPeriodMs: (valid ? hours : DEFAULT_REOPEN_PERIOD_HOURS) * HOUR };
}
