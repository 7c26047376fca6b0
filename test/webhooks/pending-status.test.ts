import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { applyPendingStatuses } from '../../src/webhooks/pending-statuses.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { fixture, insertOutbound, keyringOf, ManualClock, insertSender, pidHash, postCloud, processAll, webhookContext, withMessageId } from './helpers.js';
import { openProviderId } from '../../src/messages/provider-ids.js';

const statusFor = (name: string, wamid: string, biz?: string) => {
  const payload = JSON.parse(withMessageId(fixture(name), wamid));
  if (biz) payload.entry[0].changes[0].value.statuses[0].biz_opaque_callback_data = biz;
  return JSON.stringify(payload);
};

describeStorage('statuses that arrive before Parley can match their message', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let senderId: string;

  before(async () => {
    ctx = webhookContext(fx);
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId });
  });

  it('a status matched through biz_opaque_callback_data applies, and the provider id is stored', async () => {
    const wamid = `wamid.biz.${randomBytes(4).toString('hex')}`;
    const messageId = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: null, status: 'sending' });
    await postCloud(app, statusFor('cloud-status-delivered.json', wamid, messageId));
    await processAll(ctx);
    const message = await fx.db.selectFrom('messages').select(['status', 'provider_id_hash', 'provider_id_sealed']).where('id', '=', messageId).executeTakeFirstOrThrow();
    assert.deepEqual({ status: message.status, hash: message.provider_id_hash }, { status: 'delivered', hash: pidHash(fx.db, wamid) });
    assert.equal(await openProviderId(keyringOf(fx.db), workspaceId, message.provider_id_sealed), wamid, 'the provider id is stored sealed');
    assert.ok(message.provider_id_sealed!.startsWith('v1.'));
  });

  it('a status for an id nobody stored yet is held, then applied when the sender stores the id and calls the hook', async () => {
    const wamid = `wamid.early.${randomBytes(4).toString('hex')}`;
    await postCloud(app, statusFor('cloud-status-read.json', wamid));
    await postCloud(app, statusFor('cloud-status-read.json', wamid));
    await processAll(ctx);
    const held = await fx.db.selectFrom('pending_statuses').select(['status', 'sender_id']).where('provider_id_hash', '=', pidHash(fx.db, wamid)).execute();
    assert.deepEqual(held, [{ status: 'read', sender_id: senderId }], 'held once despite the redelivery');
    const item = (await fx.db.selectFrom('pending_statuses').select('item').where('provider_id_hash', '=', pidHash(fx.db, wamid)).executeTakeFirstOrThrow()).item;
    assert.ok(item.startsWith('v1.') && !item.includes(wamid), 'the held item is sealed: it names the provider id');
    assert.equal((await fx.db.selectFrom('webhook_log').select('state').orderBy('seq', 'desc').executeTakeFirstOrThrow()).state, 'done');

    // The outbound pipeline stores the provider id after the status arrived, then calls the hook.
    const messageId = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: wamid, status: 'accepted' });
    assert.equal(await applyPendingStatuses(ctx, [pidHash(fx.db, wamid), pidHash(fx.db, 'wamid.unrelated')]), 1);
    const message = await fx.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow();
    assert.equal(message.status, 'read');
    assert.equal((await fx.db.selectFrom('pending_statuses').select('id').where('provider_id_hash', '=', pidHash(fx.db, wamid)).execute()).length, 0);
    assert.equal(await applyPendingStatuses(ctx, [pidHash(fx.db, wamid)]), 0, 'nothing left to apply');
  });

  it('the processor’s sweep applies held statuses on its own once the message is matchable', async () => {
    const wamid = `wamid.sweep.${randomBytes(4).toString('hex')}`;
    await postCloud(app, statusFor('cloud-status-delivered.json', wamid));
    await processAll(ctx);
    const messageId = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: wamid, status: 'accepted' });
    await new WebhookProcessor(ctx).housekeeping(true);
    assert.equal((await fx.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow()).status, 'delivered');
  });

  it('held statuses expire after a day', async () => {
    const wamid = `wamid.never.${randomBytes(4).toString('hex')}`;
    await postCloud(app, statusFor('cloud-status-sent.json', wamid));
    await processAll(ctx);
    const later = webhookContext(fx, {}, new ManualClock(Date.now() + 25 * 3600_000));
    await new WebhookProcessor(later).housekeeping(true);
    assert.equal((await fx.db.selectFrom('pending_statuses').select('id').where('provider_id_hash', '=', pidHash(fx.db, wamid)).execute()).length, 0);
  });
});
