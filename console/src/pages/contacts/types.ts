// The contacts API's views as the console reads them (src/contacts/contact-schemas.ts, src/privacy/routes.ts, src/consent/routes.ts).

export interface Contact {
  id: string;
  phone: string | null;
  waId: string | null;
  name: string | null;
  email: string | null;
  language: string | null;
  timeZone: string | null;
  country: string | null;
  attributes: Record<string, string | number | boolean | null> | null;
  tags: string[];
  mergedInto: string | null;
  erasedAt: string | null;
  createdAt: string;
  updatedAt: string;
  redacted?: string[];
}

export type TimelineItem =
  | { kind: 'message'; at: string; id: string; senderId: string | null; direction: string; type: string; status: string; templateName: string | null; errorCode: string | null }
  | { kind: 'status'; at: string; id: string; messageId: string; status: string; direction: string; type: string }
  | { kind: 'consent'; at: string; id: string; purpose: string; channel: string; status: string; source: string; actor: { type: string; id: string } }
  | { kind: 'conversation'; at: string; id: string; senderId: string; state: string; cycle: number; teamId: string | null; endedAt: string | null };

export interface ConsentRecord {
  id: string;
  purpose: string;
  channel: string;
  status: string;
  source: string;
  effectiveAt: string;
  recordedAt: string;
  wording: string | null;
  actor: { type: string; id: string };
  proof?: Record<string, unknown> | null;
}

export interface CurrentConsent {
  purpose: string;
  channel: string;
  status: 'granted' | 'withdrawn' | 'none';
  since: string | null;
  source: string | null;
  allowed: boolean;
  explanation: string;
}

export const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * The query keys of a contact, shared by every page that shows it (the contact page, the inbox's
 * contact panel, the conversation's heading), so one read serves them all. Each key holds one shape:
 * the contact as `GET /v1/contacts/{id}` answers it, its current consent as a list.
 */
export const contactKey = (id: string) => ['contact', id] as const;
export const contactConsentKey = (id: string) => ['contact', id, 'consent'] as const;
