// The settings pages, each shown to sessions holding the permission that reads it (the writes on
// a page are offered only with their own permission; the API checks both anyway). Kept apart from
// the pages so the navigation knows them without loading the settings code.

export interface SettingsSection {
  slug: string;
  label: string;
  permission: string;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { slug: 'senders', label: 'Senders', permission: 'senders.read' },
  { slug: 'api-keys', label: 'API keys', permission: 'keys.read' },
  { slug: 'users', label: 'Users', permission: 'users.read' },
  { slug: 'teams', label: 'Teams', permission: 'users.read' },
  { slug: 'roles', label: 'Roles', permission: 'workspace.read' },
  { slug: 'business-hours', label: 'Business hours', permission: 'workspace.read' },
  { slug: 'sla-policies', label: 'SLA policies', permission: 'conversations.read' },
  { slug: 'event-webhooks', label: 'Event webhooks', permission: 'webhooks.read' },
];

export const SETTINGS_PERMISSIONS: readonly string[] = [...new Set(SETTINGS_SECTIONS.map((s) => s.permission))];
