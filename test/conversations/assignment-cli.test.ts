import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';
import { AssignmentSweep } from '../../src/conversations/assignment/sweep.js';
import { assignmentSetup } from './assignment-helpers.js';

describeStorage('parley agents and parley conversations', (fx) => {
  it('agents presence sets a person online (recorded by the CLI), the sweep gives them the waiting conversation, and both lists show it', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced' });
    const agent = await s.person();
    const analyst = await s.person('analyst');
    await s.customer();
    const env = { DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64'), PARLEY_LOG_LEVEL: 'silent' };

    const set = await runCli(['agents', 'presence', agent.id, 'online', '--workspace', s.workspaceId], env);
    assert.equal(set.code, 0, set.stderr);
    const refused = await runCli(['agents', 'presence', analyst.id, 'online', '--workspace', s.workspaceId], env);
    assert.equal(refused.code, 1, 'an analyst holds no conversations');
    assert.equal((await runCli(['agents', 'presence', agent.id, 'busy', '--workspace', s.workspaceId], env)).code, 1);
    const audit = await fx.db.selectFrom('audit_entries').select(['action', 'resource_id', 'actor_id']).where('workspace_id', '=', s.workspaceId).where('action', '=', 'agent.presence_changed').execute();
    assert.deepEqual(audit, [{ action: 'agent.presence_changed', resource_id: agent.id, actor_id: 'cli' }]);

    // The CLI writes the presence; a running worker's sweep assigns.
    await new AssignmentSweep(s.ctx).runOnce();
    const agents = await runCli(['agents', 'list', '--workspace', s.workspaceId, '--json'], env);
    assert.equal(agents.code, 0, agents.stderr);
    const row = (JSON.parse(agents.stdout) as Array<{ userId: string; presence: string; openLoad: number }>).find((a) => a.userId === agent.id);
    assert.deepEqual({ presence: row?.presence, openLoad: row?.openLoad }, { presence: 'online', openLoad: 1 });
    assert.ok(!agents.stdout.includes(analyst.id), 'only people who may hold conversations are listed');

    const list = await runCli(['conversations', 'list', '--workspace', s.workspaceId, '--state', 'active', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual((JSON.parse(list.stdout) as Array<{ owner: string; team: string }>).map((c) => [c.owner, c.team]), [[agent.id, s.teamId]]);
  });
});
