import type { ReactNode } from 'react';
import type { SessionView } from './api.js';
import { Link } from './link.js';
import { useSignOut } from './session.js';

/** A page of the console, shown in the navigation only to users whose role holds its permission. */
export interface NavItem {
  path: string;
  label: string;
  permission: string;
}

export const NAV: readonly NavItem[] = [
  { path: '/inbox', label: 'Inbox', permission: 'conversations.read' },
  { path: '/templates', label: 'Templates', permission: 'templates.read' },
];

export const allowedNav = (session: SessionView): NavItem[] => NAV.filter((item) => session.permissions.includes(item.permission));

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
