import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { grantMarketing, pipeline, template } from './helpers.js';
import { FakeProvider, waitFor } from './fake-provider.js';

describeStorage('outbound pipeline', (fx) => {
  it('accepts a template, commits it before answering, and the dispatcher hands it to the provider', async (t) => {
    const p = await pipeline(fx, t);
    const res = await p.send({ to: '+15550001001', ...template() });
    assert.equal(res.statusCode, 202, res.body);
    const accepted = res.json();
    assert.equal(accepted.status, 'queued');
    assert.deepEqual(accepted.decisions.map((d: { gate: string }) => d.gate), ['validity', 'suppression', 'consent', 'template', 'service-window']);
    assert.equal(await p.status(accepted.id), 'queued', 'stored before the answer');
    await p.start();
    await waitFor(async () => (await p.status(accepted.id)) === 'accepted', 10_000, 'accepted');
    const call = p.provider.calls[0].request;
    assert.equal(call.messageId, accepted.id, "Parley's id travels to the provider (biz_opaque_callback_data)");
    assert.equal(call.to, '+15550001001');
    const view = (await p.app.inject({ url: `/v1/messages/${accepted.id}`, headers: { authorization: p.authorization } })).json();
    assert.equal(view.providerMessageId, `wamid.${accepted.id}`);
    assert.deepEqual(view.content.payload.name, 'order_update');
    const kinds = view.history.map((h: { kind: string; detail: { stage?: string } }) => `${h.kind}${h.detail.stage ? ':' + h.detail.stage : ''}`);
    assert.deepEqual(kinds, ['decision:accept', 'attempt:dispatch']);
    assert.deepEqual(view.history[1].detail.gates.map((g: { gate: string }) => g.gate), ['validity', 'suppression', 'consent', 'template', 'service-window'], 'the dispatch-time gate run is on the attempt');
  });

  it('refuses free-form text outside the 24-hour window with 422 naming the gate, and keeps the refusal', async (t) => {
    const p = await pipeline(fx, t);
    const res = await p.send({ to: '+15550001002', type: 'text', text: { body: 'hello' } });
    assert.equal(res.statusCode, 422);
    const error = res.json().error;
    assert.equal(error.code, 'MESSAGE_REFUSED');
    assert.equal(error.details.code, 'window_closed');
    assert.match(error.message, /service-window/);
    assert.equal(await p.status(error.details.messageId), 'refused');
    await p.openWindow('+15550001002');
    const ok = await p.send({ to: '+15550001002', type: 'text', text: { body: 'hello again' } });
    assert.equal(ok.statusCode, 202);
  });

  it('refuses at dispatch a free-form message whose window closed after it was accepted', async (t) => {
    const p = await pipeline(fx, t);
    const contactId = await p.openWindow('+15550001003', Date.now() - 24 * 3600_000 + 1500);
    const res = await p.send({ contactId, type: 'text', text: { body: 'still open?' } });
    assert.equal(res.statusCode, 202);
    await new Promise((r) => setTimeout(r, 1600));
    await p.start();
    await waitFor(async () => (await p.status(res.json().id)) === 'refused', 10_000, 'refused at dispatch');
    assert.equal(p.provider.calls.length, 0);
    const dead = (await p.app.inject({ url: '/v1/dead-letters', headers: { authorization: p.authorization } })).json().data;
    assert.equal(dead[0].messageId, res.json().id);
    assert.match(dead[0].reason, /24 hours/);
  });

  it('Idempotency-Key: the same key and body return the original answer, another body is 409', async (t) => {
    const p = await pipeline(fx, t);
    const body = { to: '+15550001004', ...template() };
    const first = await p.send(body, { 'idempotency-key': 'order-77' });
    const again = await p.send(body, { 'idempotency-key': 'order-77' });
    assert.equal(again.statusCode, 202);
    assert.equal(again.json().id, first.json().id);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const other = await p.send({ ...body, to: '+15550001005' }, { 'idempotency-key': 'order-77' });
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().error.code, 'IDEMPOTENCY_CONFLICT');
    const count = await p.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', p.workspaceId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    // Concurrent requests with one key create one message.
    const racing = await Promise.all([1, 2, 3, 4].map(() => p.send({ to: '+15550001006', ...template() }, { 'idempotency-key': 'race' })));
    assert.equal(new Set(racing.map((r) => r.json().id)).size, 1);
  });

  it('keeps the order of messages to one recipient', async (t) => {
    const p = await pipeline(fx, t);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await p.send({ to: '+15550001007', ...template('order_update', 'en_US', [`step ${i}`]) })).json().id);
    await p.start();
    await waitFor(() => p.provider.calls.length === 6, 10_000, 'six sends');
    assert.deepEqual(p.provider.idsSent(), ids);
  });

  it('retries a transient provider error with backoff, and dead-letters a permanent one without retrying', async (t) => {
    const provider = new FakeProvider('cloud', (request, attempt) => {
      if (request.to.endsWith('1008') && attempt === 1) return { ok: false, error: { code: '131000', title: 'Something went wrong' } };
      if (request.to.endsWith('1009')) return { ok: false, error: { code: '131026', title: 'Message undeliverable' } };
      return { ok: true, providerMessageId: `wamid.${request.messageId}` };
    });
    const p = await pipeline(fx, t, { provider });
    const transient = (await p.send({ to: '+15550001008', ...template() })).json().id;
    const permanent = (await p.send({ to: '+15550001009', ...template() })).json().id;
    await p.start();
    await waitFor(async () => (await p.status(transient)) === 'accepted' && (await p.status(permanent)) === 'failed', 15_000, 'retry and failure');
    const tries = (id: string) => provider.calls.filter((c) => c.request.messageId === id).length;
    assert.equal(tries(transient), 2);
    assert.equal(tries(permanent), 1);
    const row = await p.ctx.db.selectFrom('messages').select(['attempts', 'error_code']).where('id', '=', permanent).executeTakeFirstOrThrow();
    assert.equal(row.error_code, '131026');
    const dead = await p.ctx.db.selectFrom('dead_letters').selectAll().where('message_id', '=', permanent).executeTakeFirst();
    assert.ok(dead);
  });

  it('130429 slows the sender and requeues without using an attempt', async (t) => {
    const provider = new FakeProvider('cloud', (request, attempt) => (attempt === 1 ? { ok: false, error: { code: '130429', title: 'Rate limit hit' } } : { ok: true, providerMessageId: `wamid.${request.messageId}` }));
    const p = await pipeline(fx, t, { provider });
    const id = (await p.send({ to: '+15550001010', ...template() })).json().id;
    await p.start();
    await waitFor(async () => (await p.status(id)) === 'accepted', 10_000, 'accepted after throttle');
    const row = await p.ctx.db.selectFrom('messages').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.attempts, 1, 'the throttled try was refunded');
  });

  it('131050 fails the message and suppresses marketing to that contact', async (t) => {
    const provider = new FakeProvider('cloud', () => ({ ok: false, error: { code: '131050', title: 'User stopped marketing' } }));
    const p = await pipeline(fx, t, { provider });
    await grantMarketing(p.ctx, p.workspaceId, ['+15550001011']);
    const first = (await p.send({ to: '+15550001011', category: 'marketing', ...template('promo_offer') })).json().id;
    await p.start();
    await waitFor(async () => (await p.status(first)) === 'failed', 10_000, 'failed');
    const again = await p.send({ to: '+15550001011', category: 'marketing', ...template('promo_offer') });
    assert.equal(again.statusCode, 422);
    assert.equal(again.json().error.details.code, 'suppressed');
    const utility = await p.send({ to: '+15550001011', ...template() });
    assert.equal(utility.statusCode, 202, 'non-marketing still allowed');
  });

  it('an OTP is never sent late: past its validity it ends expired', async (t) => {
    const p = await pipeline(fx, t);
    const res = await p.send({ to: '+15550001012', category: 'otp', ...template('otp_code'), validUntil: new Date(Date.now() + 1200).toISOString() });
    assert.equal(res.statusCode, 202, res.body);
    assert.ok(res.json().validUntil);
    await new Promise((r) => setTimeout(r, 1300));
    await p.start();
    await waitFor(async () => (await p.status(res.json().id)) === 'expired', 10_000, 'expired');
    assert.equal(p.provider.calls.length, 0);
  });

  it('OTPs get a default validity of ten minutes', async (t) => {
    const p = await pipeline(fx, t);
    const res = (await p.send({ to: '+15550001013', category: 'otp', ...template('otp_code') })).json();
    assert.equal(Date.parse(res.validUntil) - Date.parse(res.createdAt), 10 * 60_000);
  });

  it('holds (does not fail) templates past the portfolio’s daily unique-recipient limit', async (t) => {
    const p = await pipeline(fx, t, { sender: { messagingLimit: 2 } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await p.send({ to: `+1555000102${i}`, ...template() })).json().id);
    // A second message to an already-reached recipient does not use another slot.
    ids.push((await p.send({ to: '+15550001020', ...template() })).json().id);
    await p.start();
    await waitFor(async () => (await Promise.all([ids[0], ids[1], ids[3]].map(p.status))).every((s) => s === 'accepted'), 10_000, 'two recipients reached');
    await new Promise((r) => setTimeout(r, 300));
    const held = await p.ctx.db.selectFrom('messages').select(['status', 'next_attempt_at']).where('id', '=', ids[2]).executeTakeFirstOrThrow();
    assert.equal(held.status, 'queued');
    assert.ok(held.next_attempt_at > Date.now() + 23 * 3600_000, 'held until a slot frees in about 24 h');
    assert.equal(p.provider.calls.filter((c) => c.request.messageId === ids[2]).length, 0);
  });

  it('cancels a scheduled message; a message already with the provider cannot be cancelled', async (t) => {
    const p = await pipeline(fx, t);
    const later = (await p.send({ to: '+15550001030', ...template(), sendAt: new Date(Date.now() + 3600_000).toISOString() })).json();
    assert.equal(later.status, 'scheduled');
    const cancelled = await p.app.inject({ method: 'POST', url: `/v1/messages/${later.id}/cancel`, headers: { authorization: p.authorization } });
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.json().status, 'cancelled');
    const now = (await p.send({ to: '+15550001031', ...template() })).json();
    await p.start();
    await waitFor(async () => (await p.status(now.id)) === 'accepted', 10_000, 'accepted');
    const late = await p.app.inject({ method: 'POST', url: `/v1/messages/${now.id}/cancel`, headers: { authorization: p.authorization } });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'MESSAGE_NOT_CANCELLABLE');
  });

  it('batch: each item gets its own result; a bad item does not stop the others', async (t) => {
    const p = await pipeline(fx, t);
    const res = await p.app.inject({
      method: 'POST',
      url: '/v1/messages:batch',
      headers: { authorization: p.authorization },
      payload: { messages: [{ to: '+15550001040', ...template() }, { to: 'not a phone', ...template() }, { to: '+15550001041', type: 'text', text: { body: 'no window' } }] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.results.map((r: { status: number }) => r.status), [202, 400, 422]);
    assert.equal(body.results[1].error.code, 'RECIPIENT_INVALID');
  });
});

describeStorage('outbound metrics', (fx) => {
  it('exposes lane depth, sends per sender, provider error codes and accept-to-provider latency', async (t) => {
    const provider = new FakeProvider('cloud', (request) => (request.to.endsWith('3002') ? { ok: false, error: { code: '131026', title: 'undeliverable' } } : { ok: true, providerMessageId: `wamid.${request.messageId}` }));
    const p = await pipeline(fx, t, { provider });
    const metrics = async () => (await p.app.inject('/metrics')).body;
    await grantMarketing(p.ctx, p.workspaceId, ['+15550003001']);
    await p.send({ to: '+15550003001', category: 'marketing', ...template('promo_offer') });
    await p.send({ to: '+15550003002', ...template() });
    await p.start();
    await waitFor(() => p.provider.calls.length === 2, 10_000, 'two sends');
    await new Promise((r) => setTimeout(r, 100));
    const text = await metrics();
    assert.match(text, /parley_outbound_lane_depth\{lane="marketing"\} 0/);
    assert.match(text, new RegExp(`parley_outbound_sends_total\\{sender="${p.sender.id}",result="accepted"\\} 1`));
    assert.match(text, /parley_outbound_provider_errors_total\{provider="cloud",code="131026"\} 1/);
    assert.match(text, /parley_outbound_accept_to_provider_seconds_count\{lane="marketing"\} 1/);
  });
});

describeStorage('consent gate in the pipeline', (fx) => {
  it('refuses marketing without an opt-in at accept, and at dispatch after a withdrawal that came after the accept', async (t) => {
    const p = await pipeline(fx, t);
    const refused = await p.send({ to: '+15550004001', category: 'marketing', ...template('promo_offer') });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.details.decisions.at(-1).gate, 'consent');
    await grantMarketing(p.ctx, p.workspaceId, ['+15550004001']);
    const accepted = (await p.send({ to: '+15550004001', category: 'marketing', ...template('promo_offer') })).json();
    assert.equal(accepted.status, 'queued');
    const withdrawn = await p.app.inject({ method: 'POST', url: `/v1/contacts/${accepted.contactId}/consent`, headers: { authorization: p.authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'withdrawn', source: 'api' } });
    assert.equal(withdrawn.statusCode, 201, withdrawn.body);
    await p.start();
    await waitFor(async () => (await p.status(accepted.id)) === 'refused', 10_000, 'refused at dispatch');
    assert.equal(p.provider.calls.length, 0);
    const view = (await p.app.inject({ url: `/v1/messages/${accepted.id}`, headers: { authorization: p.authorization } })).json();
    const dispatch = view.history.find((h: { kind: string; detail: { stage?: string } }) => h.kind === 'decision' && h.detail.stage === 'dispatch');
    assert.equal(dispatch.detail.gates.at(-1).gate, 'consent', 'the decision log names the consent gate');
  });
});
