import type { Db } from '../db/database.js';
import { getWorkspace, updateWorkspaceSettings } from '../workspaces/workspace-queries.js';
import { daysOrNull, settingsSection } from '../workspaces/settings-section.js';

/**
 * A workspace's retention policy, stored under `settings.retention`:
 * - `messageBodyDays`: message bodies (inbound and outbound) are purged this many days after the
 *   message was created; null (default) keeps them. Messages still waiting to be sent keep theirs.
 */
export interface RetentionSettings {
  messageBodyDays: number | null;
}

export function readRetentionSettings(settings: Record<string, unknown>): RetentionSettings {
  return { messageBodyDays: daysOrNull(settingsSection(settings, 'retention').messageBodyDays) };
}

export async function loadRetentionSettings(db: Db, workspaceId: string): Promise<RetentionSettings | undefined> {
  const workspace = await getWorkspace(db, workspaceId);
  return workspace && readRetentionSettings(workspace.settings);
}

export async function updateRetentionSettings(db: Db, workspaceId: string, patch: Partial<RetentionSettings>): Promise<RetentionSettings | undefined> {
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) return undefined;
  const next = { ...readRetentionSettings(workspace.settings), ...patch };
  await updateWorkspaceSettings(db, workspaceId, { retention: next });
  return next;
}
