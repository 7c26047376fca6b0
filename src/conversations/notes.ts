import type { Principal } from '../access/principal.js';
import { holds } from '../access/principal.js';
import { userPrincipal } from '../access/sessions/session-principal.js';
import { seesTeam } from '../access/team-scope.js';
import { userStanding } from '../access/users/user-queries.js';
import { ParleyError } from '../errors/parley-error.js';
import type { ParleyContext } from '../runtime/context.js';
import { newId } from '../shared/ids.js';
import { principalActor } from './conversation-view.js';
import { insertNote, listNotes } from './note-store.js';
import { annotateConversation, type Changed } from './transitions.js';
import { visibleConversation } from './reply.js';
import type { ConversationChange } from './state-machine.js';

/** A note as the API shows it, its text opened. */
export interface Note {
  id: string;
  conversationId: string;
  author: string;
  text: string;
  mentions: string[];
  createdAt: number;
}

/**
 * Mentioned users must be active users of the workspace who can read the conversation: who holds
 * `conversations.read` and sees its team (`seesTeam`, as for any reader). Returns the ones refused.
 */
async function unfitMentions(ctx: ParleyContext, workspaceId: string, teamId: string | null, userIds: readonly string[]): Promise<string[]> {
  const refused: string[] = [];
  for (const id of userIds) {
    const user = await userStanding(ctx.db, workspaceId, id);
    const reader = user && user.status === 'active' ? userPrincipal(workspaceId, user.id, user.role, user.teams) : undefined;
    if (!reader || !holds(reader, 'conversations.read') || !seesTeam(reader, teamId)) refused.push(id);
  }
  return refused;
}

/**
 * A private note on a conversation: never sent to the customer. Its text is personal data, sealed
 * with the workspace's data key in `conversation_notes`; the conversation's history (and so the live
 * stream and anything fed from it) gets only `conversation.note` with the note's id and, when users
 * are mentioned, `conversation.mentioned` with their ids.
 */
export async function addNote(ctx: ParleyContext, principal: Principal, conversationId: string, input: { text: string; mentions: readonly string[] }): Promise<{ note: Note; changed: Changed }> {
  const mentions = [...new Set(input.mentions)];
  const c = await visibleConversation(ctx, principal, conversationId);
  const refused = await unfitMentions(ctx, principal.workspaceId, c.teamId, mentions);
  if (refused.length) throw new ParleyError('CONVERSATION_MENTION_INVALID', { field: '/mentions', details: { userIds: refused } });
  const sealedText = await ctx.keyring.encrypt(principal.workspaceId, input.text);
  const author = principalActor(principal);
  let note: Note | undefined;
  const changed = await annotateConversation(ctx, { workspaceId: principal.workspaceId, conversationId, actor: author, visible: (x) => seesTeam(principal, x.teamId) }, async (trx, conversation, now) => {
    note = { id: newId('note', now), conversationId: conversation.id, author, text: input.text, mentions, createdAt: now };
    await insertNote(trx, principal.workspaceId, { ...note, sealedText });
    const changes: ConversationChange[] = [{ type: 'conversation.note', data: { noteId: note.id } }];
    if (mentions.length) changes.push({ type: 'conversation.mentioned', data: { noteId: note.id, userIds: mentions } });
    return changes;
  });
  return { note: note!, changed };
}

/** A conversation's notes, oldest first, their texts opened. */
export async function readNotes(ctx: ParleyContext, principal: Principal, conversationId: string, limit: number): Promise<Note[]> {
  const c = await visibleConversation(ctx, principal, conversationId);
  const stored = await listNotes(ctx.db, c.workspaceId, c.id, limit);
  return Promise.all(stored.map(async (n) => ({ id: n.id, conversationId: n.conversationId, author: n.author, text: await ctx.keyring.decrypt(c.workspaceId, n.sealedText), mentions: n.mentions, createdAt: n.createdAt })));
}
