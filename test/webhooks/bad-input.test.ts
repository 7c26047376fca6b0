import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { hubSignature } from '../../src/webhooks/signature.js';
import { providerIdHash, providerIdKey } from '../../src/messages/provider-ids.js';
import { fixture, insertSender, postCloud, processAll, signed, VERIFY_TOKEN, webhookContext, withMessageId, pidHash } from './helpers.js';

const count = async (db: ParleyContext['db'], table: 'webhook_log' | 'messages') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const lastLog = (db: ParleyContext['db']) => db.selectFrom('webhook_log').select(['seq', 'state', 'error', 'outcome', 'attempts']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
const textMessage = (id: string) => withMessageId(fixture('cloud-text-message.json'), id);

describeStorage('Cloud API webhook endpoint: bad input gets the right answer and nothing half-stored', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;

  before(async () => {
    ctx = webhookContext(fx);
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    await insertSender(fx.db, ctx.keyring, { workspaceId });
  });

  it('answers the verification handshake only for subscribe with the configured token', async () => {
    const ok = await app.inject({ url: `/webhooks/whatsapp/cloud?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}` });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body, '1158201444');
    assert.match(String(ok.headers['content-type']), /^text\/plain/);
    for (const query of [`hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong`, `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`, 'hub.mode=subscribe&hub.challenge=1', '']) {
      const res = await app.inject({ url: `/webhooks/whatsapp/cloud?${query}` });
      assert.equal(res.statusCode, 403, query);
      assert.equal(res.json().error.code, 'WEBHOOK_VERIFY_TOKEN_MISMATCH');
    }
    const unconfigured = await fx.app(fx.context());
    const refused = await unconfigured.inject({ url: `/webhooks/whatsapp/cloud?hub.mode=subscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}` });
    assert.equal(refused.statusCode, 403, 'no verify token configured: nothing matches');
  });

  it('a missing, malformed or wrong signature is 401 and nothing is stored', async () => {
    const body = textMessage(`wamid.bad.${randomBytes(4).toString('hex')}`);
    const before = await count(fx.db, 'webhook_log');
    const attempts: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=nothex' },
      { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature('another-app', Buffer.from(body)) },
      { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(ctx.config.whatsappAppSecrets!, Buffer.from(body + ' ')) },
    ];
    for (const headers of attempts) {
      const res = await postCloud(app, body, headers);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'WEBHOOK_SIGNATURE_INVALID');
    }
    assert.equal(await count(fx.db, 'webhook_log'), before);
  });

  it('with no app secret configured every delivery is 401, saying what to configure', async () => {
    const bare = await fx.app(fx.context());
    const body = textMessage('wamid.unconfigured');
    const res = await postCloud(bare, body);
    assert.equal(res.statusCode, 401);
    assert.match(res.json().error.message, /PARLEY_WHATSAPP_APP_SECRETS/);
  });

  it('accepts any of several configured app secrets', async () => {
    const multi = await fx.app(fx.context({ whatsappAppSecrets: 'first-app-secret,second-app-secret' }));
    const body = textMessage(`wamid.multi.${randomBytes(4).toString('hex')}`);
    assert.equal((await postCloud(multi, body, signed(body, 'second-app-secret'))).statusCode, 200);
    assert.equal((await postCloud(multi, body, signed(body, 'first-app-secret'))).statusCode, 200);
  });

  it('signed but truncated JSON is answered 200 and kept as failed with its error (retrying would not help)', async () => {
    const body = textMessage('wamid.truncated').slice(0, 200);
    await processAll(ctx);
    const messagesBefore = await count(fx.db, 'messages');
    const res = await postCloud(app, body);
    assert.equal(res.statusCode, 200);
    await processAll(ctx);
    const row = await lastLog(fx.db);
    assert.equal(row.state, 'failed');
    assert.match(row.error!, /not valid JSON/);
    assert.equal(row.attempts, 1, 'not retried');
    assert.equal(await count(fx.db, 'messages'), messagesBefore);
  });

  it('a wrong `object` is answered 200 and kept as failed, naming the object', async () => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', changes: [] }] });
    assert.equal((await postCloud(app, body)).statusCode, 200);
    await processAll(ctx);
    const row = await lastLog(fx.db);
    assert.equal(row.state, 'failed');
    assert.match(row.error!, /Unexpected object "page"/);
  });

  it('unknown fields, message types and webhook fields are kept and do not disturb the rest', async () => {
    const payload = JSON.parse(textMessage(`wamid.known.${randomBytes(4).toString('hex')}`));
    const value = payload.entry[0].changes[0].value;
    value.brand_new_field = { nested: [1, 2, 3] };
    value.messages[0].some_future_flag = true;
    value.messages.push({ from: '16505551234', id: 'wamid.poll.1', timestamp: '1739321030', type: 'poll', poll: { question: 'Which?' } });
    payload.entry[0].changes.push({ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } });
    payload.entry.push({ id: '102290129340398', changes: [{ field: 'messages' }] });
    const res = await postCloud(app, JSON.stringify(payload));
    assert.equal(res.statusCode, 200);
    await processAll(ctx);
    const known = await fx.db.selectFrom('messages').select('type').where('provider_id_hash', '=', pidHash(fx.db, value.messages[0].id)).executeTakeFirstOrThrow();
    assert.equal(known.type, 'text');
    const poll = await fx.db.selectFrom('messages').select(['type', 'content']).where('provider_id_hash', '=', pidHash(fx.db, 'wamid.poll.1')).executeTakeFirstOrThrow();
    assert.equal(poll.type, 'poll');
    assert.deepEqual(JSON.parse(await ctx.keyring.decrypt(workspaceId, poll.content!)), { raw: { question: 'Which?' } });
    const row = await lastLog(fx.db);
    // A change without a value is malformed: kept as failed with the reason, after applying the rest.
    assert.equal(row.state, 'failed');
    const outcome = JSON.parse(row.outcome!) as { items: Array<{ key: string; result: string; note?: string }> };
    assert.ok(outcome.items.some((i) => i.result === 'ignored' && /account_update/.test(i.note!)));
    assert.ok(outcome.items.some((i) => i.result === 'invalid' && /without a value/.test(i.note!)));
  });

  it('NUL and lone surrogates escaped in a signed body are stored raw, then applied without them: no 500, no poison row', async () => {
    // JSON text may escape any code unit: \u0000 and a lone \ud800 are valid JSON, and neither
    // database can store them as given in a text column (PostgreSQL refuses NUL).
    const hex = randomBytes(4).toString('hex');
    const from = `1650555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const payload = JSON.parse(textMessage('wamid.placeholder'));
    const value = payload.entry[0].changes[0].value;
    value.messages[0].id = `wamid.nul.\u0000${hex}`;
    value.messages[0].from = from;
    value.contacts[0].wa_id = from;
    value.messages[0].text.body = 'stop\u0000 it \ud800 now';
    value.contacts[0].profile.name = 'Nul\u0000 Name';
    value.messages[0].some_field = { 'key\u0000': 'v\u0000' };
    const body = JSON.stringify(payload);
    assert.match(body, /\\u0000/, 'escaped in the JSON text');
    const res = await postCloud(app, body);
    assert.equal(res.statusCode, 200);
    await processAll(ctx);
    const row = await lastLog(fx.db);
    assert.equal(row.state, 'done', `${row.state}: ${row.error}`);
    const message = await fx.db.selectFrom('messages').select(['content', 'contact_id']).where('provider_id_hash', '=', providerIdHash(ctx.keyring, `wamid.nul.${hex}`)).executeTakeFirstOrThrow();
    const content = await ctx.keyring.decrypt(workspaceId, message.content!);
    assert.equal(content.includes('\\u0000'), false, `no NUL stored: ${content}`);
    assert.ok(JSON.stringify(JSON.parse(content)).includes('stop it \ufffd now'), content);
  });

  it('a body over the webhook limit is 413 and nothing is stored; Meta-sized bodies fit by default', async () => {
    const small = await fx.app(webhookContext(fx, { webhookBodyLimit: 2048 }));
    const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(4096) });
    const before = await count(fx.db, 'webhook_log');
    const res = await postCloud(small, big);
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'REQUEST_TOO_LARGE');
    assert.equal(await count(fx.db, 'webhook_log'), before);
    // 3 MB, the most Meta sends, is accepted by the default limit (above the API's own 1 MB).
    const meta = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(3 * 1024 * 1024 - 100) });
    assert.equal((await postCloud(app, meta)).statusCode, 200);
  });

  it('a failing item is a result for that item: the rest of its delivery and batch is applied, the item retried', async () => {
    // A sender that disappears after the directory cached it: storing its message violates a foreign key.
    const doomedPhone = `99${randomBytes(4).toString('hex')}`;
    const doomed = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId: doomedPhone });
    const warm = JSON.parse(textMessage(`wamid.warm.${randomBytes(4).toString('hex')}`));
    warm.entry[0].changes[0].value.metadata.phone_number_id = doomedPhone;
    await postCloud(app, JSON.stringify(warm));
    await processAll(ctx);
    await fx.db.deleteFrom('service_windows').where('sender_id', '=', doomed).execute();
    await fx.db.deleteFrom('webhook_sender_health').where('sender_id', '=', doomed).execute();
    await fx.db.deleteFrom('messages').where('sender_id', '=', doomed).execute();
    await fx.db.deleteFrom('senders').where('id', '=', doomed).execute();

    const good = `wamid.good.${randomBytes(4).toString('hex')}`;
    const mixed = JSON.parse(textMessage(good));
    const orphanId = `wamid.orphan.${randomBytes(4).toString('hex')}`;
    const orphan = JSON.parse(textMessage(orphanId));
    orphan.entry[0].changes[0].value.metadata.phone_number_id = doomedPhone;
    mixed.entry.push(orphan.entry[0]);
    const other = `wamid.other.${randomBytes(4).toString('hex')}`;
    await postCloud(app, JSON.stringify(mixed));
    await postCloud(app, textMessage(other));
    const processor = new (await import('../../src/webhooks/processor.js')).WebhookProcessor(ctx);
    await processor.runOnce();

    for (const id of [good, other]) assert.ok(await fx.db.selectFrom('messages').select('id').where('provider_id_hash', '=', pidHash(fx.db, id)).executeTakeFirst(), `${id} applied`);
    const rows = await fx.db.selectFrom('webhook_log').select(['state', 'error', 'next_attempt_at']).orderBy('seq', 'desc').limit(2).execute();
    assert.equal(rows[0].state, 'done', 'the other delivery of the batch is done');
    assert.equal(rows[1].state, 'pending', 'the delivery with the failing item is retried later');
    assert.ok(rows[1].next_attempt_at > Date.now());
    // The log names the item by the keyed hash of its provider id, never by the id (it carries the number).
    assert.ok(rows[1].error!.includes(`message:${providerIdKey(pidHash(fx.db, orphanId))}: error`), rows[1].error!);
    assert.ok(!rows[1].error!.includes(orphanId));
  });
});
