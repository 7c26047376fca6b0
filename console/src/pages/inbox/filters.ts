// The inbox's filters, kept in the URL's query (`?view=mine&state=pending&q=+1650...`) so a reload, a
// shared link and the browser's back button all keep them.

export const VIEWS = [
  { value: 'all', label: 'All' },
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'teams', label: 'My teams' },
] as const;
export type View = (typeof VIEWS)[number]['value'];

export const STATES = [
  { value: 'pending', label: 'Pending' },
  { value: 'active', label: 'Active' },
  { value: 'escalated', label: 'Escalated' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'any', label: 'Any state' },
] as const;
export type StateFilter = (typeof STATES)[number]['value'];

export interface InboxFilter {
  view: View;
  state: StateFilter;
  /** What was typed in the search box: a phone number, an e-mail address, or words of a name or a message. */
  q: string;
}

const oneOf = <T extends string>(values: ReadonlyArray<{ value: T }>, v: string | null, fallback: T): T => (values.some((x) => x.value === v) ? (v as T) : fallback);

export function readFilter(search: URLSearchParams): InboxFilter {
  return { view: oneOf(VIEWS, search.get('view'), 'all'), state: oneOf(STATES, search.get('state'), 'pending'), q: (search.get('q') ?? '').trim() };
}

/** The query string of a filter (defaults left out), with its `?`, or '' when every part is the default. */
export function filterQuery(f: InboxFilter): string {
  const params = new URLSearchParams();
  if (f.view !== 'all') params.set('view', f.view);
  if (f.state !== 'pending') params.set('state', f.state);
  if (f.q) params.set('q', f.q);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * What the search text is: a phone number (digits with the usual separators), an e-mail address, or
 * neither. Those two are exact matches of a keyed hash the contacts API looks up (the contact found,
 * its conversations are listed); anything else is words, which the conversations API's `q` matches
 * against contacts' names and message text (through the server's blind index of term hashes).
 */
export function searchKind(q: string): 'phone' | 'email' | null {
  if (/^\+?[\d\s().-]+$/.test(q) && q.replace(/\D/g, '').length >= 6) return 'phone';
  if (/^[^\s@]+@[^\s@]+$/.test(q)) return 'email';
  return null;
}

/**
 * The conversations API's query for a filter, a contact (found by a phone or e-mail search) or words
 * (`text`), and a page cursor; `names`: each conversation carries its contact's name and number
 * (`include=contact`, a read of personal data the API records once a page).
 */
export function listQuery(f: InboxFilter, userId: string, contactId: string | null, before: string | null, limit: number, text: string | null = null, names = false): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (names) params.set('include', 'contact');
  if (f.state !== 'any') params.set('state', f.state);
  if (f.view === 'mine') params.set('ownerUserId', userId);
  if (f.view === 'unassigned') params.set('ownerType', 'nobody');
  if (f.view === 'teams') params.set('myTeams', 'true');
  if (contactId) params.set('contactId', contactId);
  if (text) params.set('q', text);
  if (before) params.set('before', before);
  return `/v1/conversations?${params.toString()}`;
}
