// The API's shapes this view reads beyond the shared ones in api.ts (src/conversations/reply-routes.ts).
import type { Conversation, ConversationEvent, ConversationState, TimelineMessage } from '../../api.js';

export interface ConversationDetail extends Omit<Conversation, 'state'> {
  state: ConversationState | 'snoozed';
  snoozedUntil: string | null;
  current: boolean;
  resolvedAt: string | null;
}

export interface Message extends TimelineMessage {
  statusAt: string;
  error: { code: string | null; message: string | null } | null;
}

export interface Event extends ConversationEvent {
  teamId: string | null;
  data: Record<string, unknown>;
}

export interface Note {
  id: string;
  author: string;
  text: string;
  mentions: string[];
  createdAt: string;
}

export interface UsableTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  body: string | null;
  parameters: Array<{ component: string; name: string; example: string | null }>;
  components: Array<Record<string, unknown>>;
}

export interface ServiceWindow {
  boundByWindow: boolean;
  open: boolean;
  lastInboundAt: string | null;
  closesAt: string | null;
  language: string | null;
  templates: UsableTemplate[];
}

export interface CannedReply {
  id: string;
  shortcut: string;
  text: string;
  variables: string[];
}
