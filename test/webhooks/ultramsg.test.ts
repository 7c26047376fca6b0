import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { listMessageEvents } from '../../src/messages/message-events.js';
import { ULTRAMSG_SECRET_HEADER } from '../../src/channels/ultramsg/webhook/routes.js';
import { fixture, insertOutbound, insertSender, processAll, webhookContext, pidHash } from './helpers.js';

const SECRET = 'a-long-random-ultramsg-secret';

describeStorage('UltraMsg webhook endpoint', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let senderId: string;

  const post = (payload: string, options: { query?: string; headers?: Record<string, string> } = {}) =>
    app.inject({ method: 'POST', url: `/webhooks/whatsapp/ultramsg${options.query ?? `?secret=${SECRET}`}`, headers: { 'content-type': 'application/json', ...options.headers }, payload });
  const logCount = async () => Number((await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const received = (id: string, extra: Record<string, unknown> = {}) => {
    const payload = JSON.parse(fixture('ultramsg-message-received.json'));
    payload.data.id = id;
    Object.assign(payload.data, extra);
    return payload;
  };

  before(async () => {
    ctx = webhookContext(fx);
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, provider: 'ultramsg', instanceId: '1150', webhookSecret: SECRET });
    await insertSender(fx.db, ctx.keyring, { workspaceId, provider: 'ultramsg', instanceId: 'instance2000', webhookSecret: null });
  });

  it('refuses a missing or wrong secret, an unknown instance, or a sender without a secret (401, nothing stored)', async () => {
    const before = await logCount();
    const body = fixture('ultramsg-message-received.json');
    assert.equal((await post(body, { query: '' })).statusCode, 401);
    assert.equal((await post(body, { query: '?secret=wrong' })).statusCode, 401);
    assert.equal((await post(body, { query: '', headers: { [ULTRAMSG_SECRET_HEADER]: 'wrong' } })).statusCode, 401);
    const other = JSON.parse(body);
    other.instanceId = '9999';
    assert.equal((await post(JSON.stringify(other))).statusCode, 401);
    other.instanceId = '2000';
    const noSecret = await post(JSON.stringify(other));
    assert.equal(noSecret.statusCode, 401);
    assert.equal(noSecret.json().error.code, 'WEBHOOK_SECRET_INVALID');
    assert.equal(await logCount(), before);
  });

  it('an unreadable body is 400 and not stored', async () => {
    const before = await logCount();
    const res = await post('{"event_type": "message_received", "instanceId": "11');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'WEBHOOK_PAYLOAD_INVALID');
    assert.equal(await logCount(), before);
  });

  it('accepts form-encoded deliveries with the JSON in `data` and the secret in a header', async () => {
    const id = `false_10172127174@c.us_${randomBytes(6).toString('hex').toUpperCase()}`;
    const form = new URLSearchParams({ data: JSON.stringify(received(id)) }).toString();
    const res = await post(form, { query: '', headers: { 'content-type': 'application/x-www-form-urlencoded', [ULTRAMSG_SECRET_HEADER]: SECRET } });
    assert.equal(res.statusCode, 200, res.body);
    await processAll(ctx);
    const message = await fx.db.selectFrom('messages').select(['type', 'sender_id']).where('provider_id_hash', '=', pidHash(fx.db, id)).executeTakeFirstOrThrow();
    assert.deepEqual(message, { type: 'text', sender_id: senderId });
  });

  it('keeps echoes (fromMe) and message_create in the log without acting on them', async () => {
    const echoId = `true_10172127174@c.us_${randomBytes(6).toString('hex')}`;
    assert.equal((await post(JSON.stringify(received(echoId, { fromMe: true })))).statusCode, 200);
    const created = received(`true_10172127174@c.us_${randomBytes(6).toString('hex')}`, { fromMe: true });
    created.event_type = 'message_create';
    assert.equal((await post(JSON.stringify(created))).statusCode, 200);
    await processAll(ctx);
    assert.equal(await fx.db.selectFrom('messages').select('id').where('provider_id_hash', '=', pidHash(fx.db, echoId)).executeTakeFirst(), undefined);
    const rows = await fx.db.selectFrom('webhook_log').select(['state', 'outcome']).orderBy('seq', 'desc').limit(2).execute();
    for (const row of rows) {
      assert.equal(row.state, 'done');
      assert.equal(JSON.parse(row.outcome!).items[0].result, 'ignored');
    }
  });

  it('a redelivered message is stored once', async () => {
    const id = `false_10172127174@c.us_${randomBytes(6).toString('hex')}`;
    await post(JSON.stringify(received(id)));
    await post(JSON.stringify(received(id)));
    await processAll(ctx);
    assert.equal((await fx.db.selectFrom('messages').select('id').where('provider_id_hash', '=', pidHash(fx.db, id)).execute()).length, 1);
  });

  it('maps acks pending→queued, server→sent, device→delivered, read and played→read; dedupes and never goes back', async () => {
    const ack = (id: string, value: string, extra: Record<string, unknown> = {}) => {
      const payload = JSON.parse(fixture('ultramsg-message-ack.json'));
      payload.data.id = id;
      payload.data.ack = value;
      return JSON.stringify({ ...payload, ...extra });
    };
    const id = `true_10172127174@c.us_${randomBytes(6).toString('hex')}`;
    const messageId = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: id, status: 'sending' });
    const statusAfter = async (value: string) => {
      assert.equal((await post(ack(id, value))).statusCode, 200);
      await processAll(ctx);
      return (await fx.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow()).status;
    };
    assert.equal(await statusAfter('pending'), 'sending', 'queued is behind sending: not applied');
    assert.equal(await statusAfter('server'), 'sent');
    assert.equal(await statusAfter('device'), 'delivered');
    assert.equal(await statusAfter('device'), 'delivered');
    assert.equal(await statusAfter('played'), 'read');
    assert.equal(await statusAfter('read'), 'read');
    assert.equal(await statusAfter('server'), 'read');
    const events = (await listMessageEvents(fx.db, messageId)).filter((e) => e.kind === 'status').map((e) => e.detail.providerStatus);
    assert.deepEqual(events, ['pending', 'server', 'device', 'played', 'read'], 'one event per (message, ack); duplicates dropped');

    // Matched through referenceId (Parley's id) when the id is not the one stored.
    const byReference = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: null, status: 'sending' });
    assert.equal((await post(ack(`true_x@c.us_${randomBytes(4).toString('hex')}`, 'device', { referenceId: byReference }))).statusCode, 200);
    await processAll(ctx);
    assert.equal((await fx.db.selectFrom('messages').select('status').where('id', '=', byReference).executeTakeFirstOrThrow()).status, 'delivered');
  });
});
