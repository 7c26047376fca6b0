import { useEffect } from 'react';
import type { SessionView } from '../../api.js';
import { Link } from '../../link.js';
import { navigate } from '../../router.js';
import { SETTINGS_SECTIONS } from './sections.js';
import { ApiKeysSection } from './api-keys.js';
import { BusinessHoursSection } from './business-hours.js';
import { EventWebhooksSection } from './event-webhooks.js';
import { RolesSection } from './roles.js';
import { SendersSection } from './senders.js';
import { SlaPoliciesSection } from './sla-policies.js';
import { TeamsSection } from './teams.js';
import { UsersSection } from './users.js';
import './settings.css';

/** What a section is given: who is signed in and whether they may change what it shows. */
export interface SectionProps {
  session: SessionView;
  can: (permission: string) => boolean;
}

const PAGES: Record<string, (props: SectionProps) => React.JSX.Element> = {
  senders: SendersSection,
  'api-keys': ApiKeysSection,
  users: UsersSection,
  teams: TeamsSection,
  roles: RolesSection,
  'business-hours': BusinessHoursSection,
  'sla-policies': SlaPoliciesSection,
  'event-webhooks': EventWebhooksSection,
};

export function SettingsPage({ session, section }: { session: SessionView; section: string | null }) {
  const can = (permission: string) => session.permissions.includes(permission);
  const allowed = SETTINGS_SECTIONS.filter((s) => can(s.permission));
  const current = allowed.find((s) => s.slug === section);

  // /settings opens the first section the role may see.
  useEffect(() => {
    if (section === null && allowed[0]) navigate(`/settings/${allowed[0].slug}`, { replace: true });
  }, [section, allowed]);

  const Page = current ? PAGES[current.slug] : undefined;
  return (
    <div className="settings">
      <nav aria-label="Settings" className="settings-nav">
        <h1>Settings</h1>
        <ul>
          {allowed.map((s) => (
            <li key={s.slug}>
              <Link to={`/settings/${s.slug}`} aria-current={s.slug === section ? 'page' : undefined}>{s.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        {Page ? <Page session={session} can={can} /> : section !== null ? <p className="empty">There is no such settings page for your role. Pick one in the list.</p> : null}
      </div>
    </div>
  );
}
