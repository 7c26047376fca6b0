import type { ReactNode } from 'react';
import type { SessionView } from './api.js';
import { Link } from './link.js';
import { useSignOut } from './session.js';
import { SETTINGS_PERMISSIONS } from './pages/settings/sections.js';

/** A page of the console, shown in the navigation only to users whose role holds its permission. */
export interface NavItem {
  path: string;
  label: string;
  /** The permission it needs, or a list of which any one will do. */
  permission: string | readonly string[];
}

export const NAV: readonly NavItem[] = [
  { path: '/inbox', label: 'Inbox', permission: 'conversations.read' },
  { path: '/contacts', label: 'Contacts', permission: 'contacts.read' },
  { path: '/templates', label: 'Templates', permission: 'templates.read' },
  // The built-in emulator's phone (its API answers 404 when Parley runs without the emulator).
  { path: '/phone', label: 'Phone', permission: 'senders.manage' },
  { path: '/settings', label: 'Settings', permission: SETTINGS_PERMISSIONS },
  { path: '/audit', label: 'Audit log', permission: 'audit.read' },
];

export const allowedNav = (session: SessionView): NavItem[] => NAV.filter((item) => [item.permission].flat().some((p) => session.permissions.includes(p)));

export function Layout({ session, current, children }: { session: SessionView; current: string; children: ReactNode }) {
  const signOut = useSignOut();
  const nav = allowedNav(session);
  return (
    <div className="layout">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">Parley</span>
        <nav aria-label="Console">
          <ul>
            {nav.map((item) => (
              <li key={item.path}>
                <Link to={item.path} aria-current={current.startsWith(item.path) ? 'page' : undefined}>{item.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{session.user.name} <span className="muted">({session.user.role})</span></span>
          <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
