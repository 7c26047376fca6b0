import type { Db } from '../db/database.js';
import { getWorkspace, updateWorkspaceSettings } from '../workspaces/workspace-queries.js';
import { settingsSection } from '../workspaces/settings-section.js';
import { parseBusinessHours, type BusinessCalendar, type BusinessHoursSetting } from './business-hours.js';

/**
 * A workspace's business hours, stored under `settings.conversations.businessHours` as written by
 * `PUT /v1/conversations/settings/business-hours` (checked there by `parseBusinessHours`). Absent:
 * the workspace has no business hours, its business-hour figures are null and a business-hours SLA
 * policy cannot be created.
 */
export interface WorkspaceBusinessHours {
  setting: BusinessHoursSetting;
  calendar: BusinessCalendar;
}

export function readBusinessHours(settings: Record<string, unknown>): WorkspaceBusinessHours | null {
  const raw = settingsSection(settings, 'conversations').businessHours as BusinessHoursSetting | undefined;
  if (!raw || typeof raw !== 'object' || typeof raw.timeZone !== 'string' || typeof raw.week !== 'object' || !Array.isArray(raw.holidays)) return null;
  const parsed = parseBusinessHours(raw);
  return parsed.ok ? { setting: raw, calendar: parsed.calendar } : null;
}

export async function loadBusinessHours(db: Db, workspaceId: string): Promise<WorkspaceBusinessHours | null> {
  const workspace = await getWorkspace(db, workspaceId);
  return workspace ? readBusinessHours(workspace.settings) : null;
}

/** Stores a checked setting, keeping the rest of `settings.conversations`. Returns the one it replaced. */
export async function writeBusinessHours(db: Db, workspaceId: string, setting: BusinessHoursSetting | null): Promise<{ before: BusinessHoursSetting | null } | undefined> {
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) return undefined;
  const before = readBusinessHours(workspace.settings)?.setting ?? null;
  const section = { ...settingsSection(workspace.settings, 'conversations') };
  if (setting) section.businessHours = setting;
  else delete section.businessHours;
  await updateWorkspaceSettings(db, workspaceId, { conversations: section });
  return { before };
}
