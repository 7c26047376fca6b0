import { Suspense, lazy, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorNotice } from './error-notice.js';
import { Layout, allowedNav } from './layout.js';
import { followStream } from './live-stream.js';
import { navigate, useLocation } from './router.js';
import { SESSION_KEY, useSession } from './session.js';
import { conversationKey } from './pages/conversation.js';
import { InboxPage } from './pages/inbox.js';
import { SignInPage } from './pages/sign-in.js';
import { ContactsPage } from './pages/contacts/contacts-page.js';
import { ContactPage } from './pages/contacts/contact-page.js';
import { AuditPage } from './pages/audit/audit-page.js';

const PhonePage = lazy(() => import('./pages/phone/phone.js').then((m) => ({ default: m.PhonePage })));
const SettingsPage = lazy(() => import('./pages/settings/settings-page.js').then((m) => ({ default: m.SettingsPage })));

const TemplatesArea = lazy(() => import('./pages/templates/index.js'));

/**
 * While someone who may read conversations or templates is signed in, the stream's events refresh what
 * they show: a conversation event the lists and that conversation, `template.changed` (a template's
 * provider status or quality changed) the templates pages.
 */
function useLiveUpdates(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return followStream({
      // Opened or reopened: what changed while it was not open is fetched again.
      onOpen: () => {
        void client.invalidateQueries({ queryKey: ['conversations'] });
        void client.invalidateQueries({ queryKey: ['conversation'] });
        void client.invalidateQueries({ queryKey: ['templates'] });
      },
      onEvent: (event) => {
        if (event.type === 'template.changed') {
          void client.invalidateQueries({ queryKey: ['templates'] });
          return;
        }
        void client.invalidateQueries({ queryKey: ['conversations'] });
        if (event.conversationId) void client.invalidateQueries({ queryKey: conversationKey(event.conversationId) });
      },
      // The stream refused: the session ended (expired, signed out elsewhere); ask who is signed in.
      onEnded: () => void client.invalidateQueries({ queryKey: SESSION_KEY }),
    });
  }, [enabled, client]);
}

export function App() {
  const session = useSession();
  const { path, search } = useLocation();
  const nav = session.data ? allowedNav(session.data) : [];
  const canReadConversations = nav.some((item) => item.path === '/inbox');
  const permissions = session.data?.permissions ?? [];
  useLiveUpdates(permissions.includes('conversations.read') || permissions.includes('templates.read'));

  // The start page is the first page the role may see.
  useEffect(() => {
    if (session.data && path === '/' && nav[0]) navigate(nav[0].path, { replace: true });
  }, [session.data, path, nav]);

  if (session.isPending) return <p role="status" className="loading">Loading…</p>;
  if (session.error) return <main><ErrorNotice error={session.error} /></main>;
  if (!session.data) return <SignInPage />;

  const can = (navPath: string) => nav.some((item) => item.path === navPath);
  const inbox = /^\/inbox(?:\/([^/]+))?$/.exec(path);
  const settings = /^\/settings(?:\/([^/]+))?$/.exec(path);
  let page;
  if (inbox && canReadConversations) page = <InboxPage conversationId={inbox[1] ? decodeURIComponent(inbox[1]) : null} />;
  else if (/^\/contacts$/.test(path) && can('/contacts')) page = <ContactsPage key={search.toString()} search={search} />;
  else if (/^\/contacts\/[^/]+$/.test(path) && can('/contacts')) page = <ContactPage key={path} id={decodeURIComponent(path.slice('/contacts/'.length))} permissions={session.data.permissions} />;
  else if (path === '/audit' && can('/audit')) page = <AuditPage key={search.toString()} search={search} />;
  else if (path === '/phone' && can('/phone')) page = <Suspense fallback={<p role="status">Loading…</p>}><PhonePage /></Suspense>;
  else if (settings && can('/settings')) page = <Suspense fallback={<p role="status">Loading…</p>}><SettingsPage session={session.data} section={settings[1] ? decodeURIComponent(settings[1]) : null} /></Suspense>;
  else if (/^\/templates(?:\/|$)/.test(path) && can('/templates')) page = <Suspense fallback={<p role="status">Loading…</p>}><TemplatesArea session={session.data} path={path} search={search} /></Suspense>;
  else if (nav.length === 0) page = <p className="empty">Your role ({session.data.user.role}) opens no page of the console yet. Ask an admin for a role that reads conversations.</p>;
  else page = <p className="empty">There is no such page. Pick one in the navigation above.</p>;
  return <Layout session={session.data} current={path}>{page}</Layout>;
}
