import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { signIn } from '../people/helpers.js';
import { createTeam } from '../../src/access/users/team-queries.js';
import { assignmentSetup } from './assignment-helpers.js';

describeStorage('Conversation list: the inbox views (unassigned, my teams)', (fx) => {
  it('ownerType narrows to unassigned or owned conversations; myTeams to the teams of the signed-in person, admin or agent; a key is refused myTeams', async () => {
    const s = await assignmentSetup(fx, { mode: 'manual' });
    const agent = await s.person();
    const otherTeam = await createTeam(fx.db, s.workspaceId, 'elsewhere');
    const outsider = await s.person('admin', [otherTeam.id]);
    const member = await s.person('admin', [s.teamId]);
    await s.customer();
    await s.customer();
    const [first, second] = await s.conversations();
    await s.post(first!.id, 'assign', { userId: agent.id });

    const list = async (query: string, headers: Record<string, string> = s.key) => {
      const res = await s.app.inject({ url: `/v1/conversations?${query}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().data as Array<{ id: string }>).map((c) => c.id);
    };
    assert.deepEqual(await list('ownerType=nobody'), [second!.id], 'the unassigned one');
    assert.deepEqual(await list('ownerType=user'), [first!.id]);
    assert.deepEqual(await list(`ownerType=nobody&ownerUserId=${agent.id}`), [], 'the filters combine');

    const cookie = async (email: string) => ({ cookie: (await signIn(s.app, email)).cookie });
    assert.deepEqual(await list('myTeams=true', await cookie(member.email)), [second!.id, first!.id], 'an admin in the team');
    assert.deepEqual(await list('myTeams=true', await cookie(outsider.email)), [], 'an admin of another team');
    assert.deepEqual(await list('myTeams=true&ownerType=nobody', await cookie(agent.email)), [second!.id], 'an agent, combined with unassigned');
    const admin = await s.person('admin', []);
    assert.deepEqual(await list('myTeams=true', await cookie(admin.email)), [], 'an admin in no team');
    assert.equal((await list('', await cookie(admin.email))).length, 2, 'who sees every conversation without it');

    const refused = await s.app.inject({ url: '/v1/conversations?myTeams=true', headers: s.key });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'CONVERSATION_FILTER_NEEDS_PERSON');
  });
});
