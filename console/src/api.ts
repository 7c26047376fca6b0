// The console talks to the same /v1 API as any client, signed in with the session cookie
// (docs/decisions/0016-console-sign-in.md): reads need nothing more, writes carry the session's CSRF token.

/** An error answer of the API: its code, message and the hint that says what to do next. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the session (from sign-in or who-am-I) for the writes that follow. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (WRITES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Parley did not answer.', 'Check that Parley is running, then try again.');
  }
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body?.error ?? {};
    throw new ApiError(response.status, error.code ?? 'UNKNOWN', error.message ?? `The request failed (${response.status}).`, error.hint ?? null);
  }
  return body as T;
}

/** A file uploaded to Parley to send in a message (`POST /v1/media`, src/uploads/routes.ts). */
export interface UploadView {
  id: string;
  mimeType: string;
  size: number;
  sha256: string;
  filename: string | null;
  createdAt: string;
}

/** Uploads a file: the body is its bytes, Content-Type its type, its name in `?filename=`. Errors as `api`'s. */
export async function uploadFile(file: File): Promise<UploadView> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': file.type || 'application/octet-stream' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/v1/media?filename=${encodeURIComponent(file.name)}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Parley did not answer.', 'Check that Parley is running, then try again.');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body?.error ?? {};
    throw new ApiError(response.status, error.code ?? 'UNKNOWN', error.message ?? `The upload failed (${response.status}).`, error.hint ?? null);
  }
  return body as UploadView;
}

// The shapes the console reads: the API's own views (src/conversations/conversation-view.ts, src/people/schemas.ts).

export interface SessionView {
  user: { id: string; email: string; name: string; role: string };
  workspaceId: string;
  permissions: string[];
  teams: string[] | null;
  expiresAt: string;
  csrfToken: string;
}

export const CONVERSATION_STATES = ['pending', 'active', 'escalated', 'resolved'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export interface Conversation {
  id: string;
  senderId: string;
  contactId: string;
  state: ConversationState;
  owner: { type: string; userId: string | null };
  teamId: string | null;
  escalationReason: string | null;
  cycle: number;
  waitingSince: string | null;
  lastInboundAt: string | null;
  lastActivityAt: string;
  createdAt: string;
  /** With `include=contact` (and `contacts.read_pii`): the contact's name and number, null when unknown, merged or erased. */
  contact?: { name: string | null; phone: string | null };
}

export interface TimelineMessage {
  id: string;
  direction: string;
  type: string;
  status: string;
  templateName: string | null;
  author: string | null;
  createdAt: string;
  content: Record<string, unknown> | null;
}

export interface ConversationEvent {
  seq: number;
  conversationId: string;
  type: string;
  actor: string;
  reason: string | null;
  at: string;
}
