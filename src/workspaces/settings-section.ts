/** One named section of a workspace's settings JSON (`settings.retention`, `settings.audit`), empty when absent. */
export function settingsSection(settings: Record<string, unknown>, name: string): Record<string, unknown> {
  const section = settings[name];
  return (typeof section === 'object' && section !== null ? section : {}) as Record<string, unknown>;
}

/** A setting counted in whole days: a positive integer, or null (keep forever) for anything else. */
export const daysOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null);
