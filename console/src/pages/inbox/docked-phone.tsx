import { lazy, Suspense, useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Conversation } from '../../api.js';
import { conversationKey } from '../conversation.js';
import { contactKey } from '../contacts/types.js';
import { phoneKey, readPhone } from '../phone/phone-api.js';

// The emulator phone docked beside the inbox (issue 17): a developer sees the customer's phone and the
// agent's inbox at once. Offered only to who may use the phone (senders.manage) while the built-in
// emulator runs (its API answers 404 otherwise), and remembered in this browser.

const EmulatorPhone = lazy(() => import('../phone/phone.js').then((m) => ({ default: m.EmulatorPhone })));
const STORAGE_KEY = 'parley.inbox.phoneDocked';

function stored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

/** Whether the phone can be docked (the emulator runs and the role may use it), and whether it is. */
export function usePhoneDock(permissions: readonly string[]) {
  const allowed = permissions.includes('senders.manage');
  const setup = useQuery({ queryKey: phoneKey, queryFn: readPhone, enabled: allowed, retry: false, staleTime: 60_000 });
  const available = allowed && !!setup.data && setup.data.numbers.length > 0;
  const [docked, setDocked] = useState(stored);
  useEffect(() => {
    try {
      localStorage.setItem(STORAGE_KEY, docked ? '1' : '0');
    } catch {
      // A browser that keeps nothing docks for this visit only.
    }
  }, [docked]);
  return { available, docked: available && docked, toggle: () => setDocked((d) => !d) };
}

export function PhoneDockToggle({ docked, toggle }: { docked: boolean; toggle: () => void }) {
  return (
    <button type="button" className="phone-dock-toggle" aria-pressed={docked} onClick={toggle}>
      Emulator phone beside the inbox
    </button>
  );
}

/**
 * The docked phone: it follows the open conversation's number and customer (the contact's number, read
 * with the contact, which the phone's permission holders may read); with none open it keeps its choice.
 */
export function DockedPhone({ conversationId, permissions }: { conversationId: string | null; permissions: readonly string[] }) {
  const conversation = useQuery({ queryKey: [...conversationKey(conversationId ?? ''), 'view'], queryFn: () => api<Conversation>(`/v1/conversations/${conversationId}`), enabled: conversationId !== null });
  const contactId = conversationId ? (conversation.data?.contactId ?? null) : null;
  const contact = useQuery({
    queryKey: contactKey(contactId ?? ''),
    queryFn: () => api<{ phone: string | null }>(`/v1/contacts/${contactId}`),
    enabled: contactId !== null && permissions.includes('contacts.read'),
  });
  const phone = contactId ? contact.data?.phone?.replace(/[^\d]/g, '') : undefined;
  const follow = conversationId && conversation.data && phone ? { senderId: conversation.data.senderId, phone } : null;
  return (
    <aside className="docked-phone phone-page" aria-label="Emulator phone">
      <Suspense fallback={<p role="status">Loading…</p>}>
        <EmulatorPhone follow={follow} />
      </Suspense>
    </aside>
  );
}
