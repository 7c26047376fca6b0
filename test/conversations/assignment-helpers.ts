import { randomInt } from 'node:crypto';
import type { Role } from '../../src/access/permissions.js';
import { createTeam } from '../../src/access/users/team-queries.js';
import { setUserTeams } from '../../src/access/users/user-queries.js';
import type { StorageFixture } from '../harness/storage.js';
import { ManualClock, insertSender, webhookContext } from '../webhooks/helpers.js';
import { makeUser } from '../people/helpers.js';
import { customerWrites } from './helpers.js';

/**
 * A workspace ready for assignment: a sender routed to a team by a sender policy, the team's policy,
 * and people in the team (offline until a test says otherwise).
 */
export async function assignmentSetup(fx: StorageFixture, policy: { mode: string; queueOrder?: string; capacity?: number | null }) {
  const clock = new ManualClock();
  const ctx = webhookContext(fx, {}, clock);
  const app = await fx.app(ctx);
  const { authorization, workspaceId } = await fx.workspace();
  const phoneNumberId = `1065${randomInt(10_000_000, 99_999_999)}`;
  const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
  const team = await createTeam(fx.db, workspaceId, `support ${phoneNumberId}`);
  const key = { authorization };
  const put = async (url: string, payload: unknown) => {
    const res = await app.inject({ method: 'PUT', url, headers: key, payload: payload as object });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  await put(`/v1/assignment-policies/sender/${senderId}`, { teamId: team.id });
  await put(`/v1/assignment-policies/team/${team.id}`, policy);
  let contacts = 0;
  return {
    ctx,
    app,
    put,
    clock,
    key,
    workspaceId,
    phoneNumberId,
    teamId: team.id,
    /** A person of the team (an agent unless said), offline. */
    async person(role: Role = 'agent', teams: string[] = [team.id]) {
      const user = await makeUser(ctx, workspaceId, role);
      await setUserTeams(fx.db, workspaceId, user.id, teams);
      return user;
    },
    /** A new customer (or `from`, a returning one) writes, a second after the last (`at`: when they sent it); returns their number. */
    async customer(from = `1650${String(randomInt(1_000_000, 9_999_999))}${contacts++}`, at?: number) {
      clock.advance(1000);
      await customerWrites(app, ctx, { from, phoneNumberId, ...(at !== undefined ? { at } : {}) });
      return from;
    },
    presence: (userId: string, presence: string) => put(`/v1/agents/${userId}/presence`, { presence }),
    async capacity(userId: string, capacity: number | null) {
      const res = await app.inject({ method: 'PATCH', url: `/v1/agents/${userId}`, headers: key, payload: { capacity } });
      if (res.statusCode !== 200) throw new Error(`capacity: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async conversations(): Promise<Array<{ id: string; state: string; contactId: string; createdAt: string; owner: { type: string; userId: string | null }; teamId: string | null }>> {
      const res = await app.inject({ url: `/v1/conversations?teamId=${team.id}&limit=200`, headers: key });
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      return res.json().data.reverse();
    },
    async post(conversationId: string, action: string, payload: object = {}) {
      const res = await app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/${action}`, headers: key, payload });
      if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async events(conversationId: string): Promise<Array<{ type: string; actor: string; reason: string | null; data: Record<string, unknown> }>> {
      return (await app.inject({ url: `/v1/conversations/${conversationId}/events`, headers: key })).json().data;
    },
  };
}

export type AssignmentSetup = Awaited<ReturnType<typeof assignmentSetup>>;
