import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { insertMessage, insertSender } from './fixtures.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { RetentionWorker } from '../../src/privacy/retention-worker.js';
import { purgeMessageBodies } from '../../src/privacy/purge-message-bodies.js';
import { WORKER_FACTORIES } from '../../src/main/modules.js';
import { DAY } from '../../src/shared/time.js';

describeStorage('retention of message bodies', (fx) => {
  it('purges bodies older than the workspace setting in batches, keeps newer ones and those still to be sent', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, workspaceId);
    const { id: contactId } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987651111');
    const now = Date.now();
    const old: string[] = [];
    for (let i = 0; i < 25; i++) old.push(await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId, body: `old ${i}`, createdAt: now - 40 * DAY + i }));
    const queuedOld = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId, body: 'scheduled long ago, not sent yet', status: 'queued', createdAt: now - 35 * DAY });
    const recent = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId, body: 'recent', createdAt: now - 5 * DAY });
    const otherWs = await fx.workspace();
    const otherSender = await insertSender(fx.db, ctx.keyring, otherWs.workspaceId);
    const { id: otherContact } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, otherWs.workspaceId, '+5511987651112');
    const untouched = await insertMessage(fx.db, ctx.keyring, { workspaceId: otherWs.workspaceId, senderId: otherSender, contactId: otherContact, body: 'other workspace keeps bodies', createdAt: now - 400 * DAY });

    const set = await app.inject({ method: 'PUT', url: '/v1/privacy/retention', headers: { authorization }, payload: { messageBodyDays: 30 } });
    assert.deepEqual(set.json(), { messageBodyDays: 30 });
    assert.deepEqual((await app.inject({ url: '/v1/privacy/retention', headers: { authorization } })).json(), { messageBodyDays: 30 });
    assert.equal((await app.inject({ method: 'PUT', url: '/v1/privacy/retention', headers: { authorization }, payload: { messageBodyDays: 0 } })).statusCode, 400);

    const result = await purgeMessageBodies(ctx.db, workspaceId, 30, now, 10);
    assert.equal(result.purged, 25);
    const body = async (id: string) => (await fx.db.selectFrom('messages').select('content').where('id', '=', id).executeTakeFirstOrThrow()).content;
    for (const id of old) assert.equal(await body(id), null);
    assert.notEqual(await body(queuedOld), null, 'a message still waiting to be sent keeps its body');
    assert.notEqual(await body(recent), null);
    assert.notEqual(await body(untouched), null);
    assert.equal(result.watermark, now - 35 * DAY, 'the next run starts at the oldest message still in flight');

    // Once the waiting message is sent, the next run purges it too.
    await fx.db.updateTable('messages').set({ status: 'sent', status_rank: 30 }).where('id', '=', queuedOld).execute();
    const worker = new RetentionWorker(ctx);
    const counts = await worker.runOnce();
    assert.equal(counts[workspaceId], 1);
    assert.equal(counts[otherWs.workspaceId], undefined, 'a workspace without a policy is left alone');
    assert.equal(await body(queuedOld), null);
    assert.equal((await fx.db.selectFrom('messages').select('id').where('workspace_id', '=', workspaceId).execute()).length, 27, 'message rows stay');
  });

  it('the retention worker is registered for `parley start` and `parley worker`', () => {
    const names = WORKER_FACTORIES.flatMap((factory) => factory(fx.context()).map((w) => w.name));
    assert.ok(names.includes('retention'));
  });
});
