import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describeStorage, type StorageFixture } from '../harness/storage.js';
import { webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from './helpers.js';
import { SseClient } from './sse-client.js';
import { insertSender } from '../webhooks/helpers.js';
import { orderConfirmation } from '../templates/harness/api.js';
import { FIXTURE_WABA, deliver, insertCloudSender } from '../templates/harness/setup.js';
import { workspaceEvents } from '../../src/conversations/conversation-store.js';
import { NOTICE_RETENTION_MS, appendNotice, workspaceNotices } from '../../src/conversations/stream-notices.js';

let templates = 0;
let numbers = 0;

/** A listening app, a workspace with a Cloud sender on the fixtures' WABA and a template of its own name. */
async function setUp(fx: StorageFixture) {
  const ctx = webhookContext(fx);
  const app = await fx.app(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const { authorization, workspaceId } = await fx.workspace();
  await insertCloudSender(ctx, workspaceId, { baseUrl: 'http://127.0.0.1:9', token: 'token' });
  // Facts find templates by WABA, name and language across the database: each test names its own.
  const name = `stream_notice_${process.pid}_${++templates}`;
  const created = await app.inject({ method: 'POST', url: '/v1/templates', headers: { authorization }, payload: orderConfirmation({ name }) });
  assert.equal(created.statusCode, 201, created.body);
  const templateId = created.json().template.id as string;
  const fact = { wabaId: FIXTURE_WABA, name, language: 'en_US' };
  return { ctx, app, port, authorization, workspaceId, templateId, fact };
}

describeStorage('Live stream: template changes as notices', (fx) => {
  it('a template quality or status webhook reaches the stream as template.changed (ids and states), in the workspace\'s one sequence, and a resumed stream gets what it missed', async () => {
    const { ctx, app, port, authorization, workspaceId, templateId, fact } = await setUp(fx);
    const stream = await SseClient.open(port, { authorization });
    await deliver(ctx, { type: 'template.quality', ...fact, newScore: 'YELLOW', previousScore: 'GREEN', at: Date.now() });
    await stream.until(() => stream.events.some((e) => e.event === 'template.changed'));
    const first = stream.events.find((e) => e.event === 'template.changed')!;
    assert.equal(first.data.templateId, templateId);
    assert.equal(first.data.quality, 'YELLOW');
    assert.equal(first.data.providerStatus, null, 'never submitted');
    assert.match(first.data.at, /^\d{4}-\d\d-\d\dT/);
    const lastId = first.id!;
    stream.close();
    await stream.until(() => stream.ended);

    // While no stream is open: a conversation event, then a status change (the template paused).
    const phoneNumberId = `1077${String(++numbers).padStart(11, '0')}`;
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    await customerWrites(app, ctx, { from: '16505550901', phoneNumberId });
    await deliver(ctx, { type: 'template.status', ...fact, templateId: undefined, event: 'PAUSED', reason: null, detail: {}, at: Date.now() });
    const notices = await workspaceNotices(fx.db, workspaceId, 0, 100);
    const events = await workspaceEvents(fx.db, workspaceId, 0, 100);
    const all = [...notices.map((n) => n.seq), ...events.map((e) => e.seq)].sort((a, b) => a - b);
    assert.deepEqual(all, all.map((_, i) => all[0]! + i), 'notices and conversation events share one gapless sequence');

    const resumed = await SseClient.open(port, { authorization, 'last-event-id': lastId });
    const head = all.at(-1)!;
    await resumed.until(() => Number(resumed.lastId()) === head);
    assert.deepEqual(resumed.events.map((e) => Number(e.id)), all.filter((seq) => seq > Number(lastId)));
    const paused = resumed.events.find((e) => e.event === 'template.changed')!;
    assert.equal(paused.data.templateId, templateId);
    assert.equal(paused.data.quality, 'YELLOW');
    assert.ok(resumed.events.some((e) => e.event !== 'template.changed'), 'the conversation events with it');
    assert.equal(paused.data.providerStatus, 'PAUSED');
    resumed.close();
  });

  it('keeps a notice for a week: older ones go when a new one comes', async () => {
    const { workspaceId } = await setUp(fx);
    const now = Date.now();
    await fx.db.transaction().execute((trx) => appendNotice(trx, workspaceId, { type: 'template.changed', permission: 'templates.read', data: { templateId: 'tpl_old' }, at: now - NOTICE_RETENTION_MS - 1 }, now));
    await fx.db.transaction().execute((trx) => appendNotice(trx, workspaceId, { type: 'template.changed', permission: 'templates.read', data: { templateId: 'tpl_new' }, at: now }, now));
    assert.deepEqual((await workspaceNotices(fx.db, workspaceId, 0, 10)).map((n) => n.data.templateId), ['tpl_new']);
  });
});
