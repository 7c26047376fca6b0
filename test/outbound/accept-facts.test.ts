import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeStorage } from '../harness/storage.js';
import { pipeline, template } from './helpers.js';
import { Authenticator } from '../../src/access/authenticator.js';
import { FACTS_TTL_MS as ACCEPT_FACTS_TTL_MS } from '../../src/runtime/fact-caches.js';
import { findContactByPhone } from '../../src/contacts/contact-queries.js';

// Item 19 of "Right by default": accepts reuse key, sender, policy and template facts briefly; caches
// must not hide a revocation, a paused sender or a paused template beyond the stated bound.
describeStorage('accept-time caches', (fx) => {
  it('a key revoked through the API stops working at once, even right after it was used', async (t) => {
    const { app, authorization } = await pipeline(fx, t);
    const created = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'ci', scopes: ['messages:read'] } })).json();
    const asNew = { authorization: `Bearer ${created.key}` };
    assert.equal((await app.inject({ url: '/v1/messages', headers: asNew })).statusCode, 200);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}`, headers: { authorization } })).statusCode, 204);
    assert.equal((await app.inject({ url: '/v1/messages', headers: asNew })).statusCode, 401);
  });

  it('a key revoked by another process (straight in the database) stops working within KEY_TTL_MS', async (t) => {
    const { app, authorization } = await pipeline(fx, t);
    const created = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'ci', scopes: ['messages:read'] } })).json();
    const asNew = { authorization: `Bearer ${created.key}` };
    assert.equal((await app.inject({ url: '/v1/messages', headers: asNew })).statusCode, 200);
    await fx.db.updateTable('api_keys').set({ revoked_at: Date.now() }).where('id', '=', created.id).execute();
    await sleep(Authenticator.KEY_TTL_MS + 50);
    const after = await app.inject({ url: '/v1/messages', headers: asNew });
    assert.equal(after.statusCode, 401);
    assert.match(after.json().error.message, /revoked/);
  });

  it('a sender disabled through the API refuses the next accept; one disabled elsewhere within ACCEPT_FACTS_TTL_MS', async (t) => {
    const { send, sender, app, authorization } = await pipeline(fx, t);
    assert.equal((await send({ to: '+14155550100', from: sender.id, ...template() })).statusCode, 202);
    const disabled = await app.inject({ method: 'PATCH', url: `/v1/senders/${sender.id}`, headers: { authorization }, payload: { status: 'disabled' } });
    assert.equal(disabled.statusCode, 200, disabled.body);
    const refused = await send({ to: '+14155550100', from: sender.id, ...template() });
    assert.equal(refused.json().error?.code, 'SENDER_UNAVAILABLE', refused.body);

    await app.inject({ method: 'PATCH', url: `/v1/senders/${sender.id}`, headers: { authorization }, payload: { status: 'active' } });
    assert.equal((await send({ to: '+14155550100', from: sender.id, ...template() })).statusCode, 202);
    // Another process disables it: the cached row is used at most ACCEPT_FACTS_TTL_MS longer.
    await fx.db.updateTable('senders').set({ status: 'disabled' }).where('id', '=', sender.id).execute();
    await sleep(ACCEPT_FACTS_TTL_MS + 50);
    assert.equal((await send({ to: '+14155550100', from: sender.id, ...template() })).json().error?.code, 'SENDER_UNAVAILABLE');
  });

  it('a send to a new number writes its contact with the message; concurrent sends to it share one contact', async (t) => {
    const { send, ctx, workspaceId } = await pipeline(fx, t);
    const answers = await Promise.all(Array.from({ length: 6 }, () => send({ to: '+14155550177', ...template() })));
    for (const a of answers) assert.equal(a.statusCode, 202, a.body);
    const contact = await findContactByPhone(ctx.db, ctx.keyring, workspaceId, '+14155550177');
    assert.ok(contact);
    const contacts = await ctx.db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).execute();
    assert.equal(contacts.length, 1, 'one contact for the number');
    for (const a of answers) {
      const { id, contactId } = a.json();
      assert.equal(contactId, contact.id, 'the answer names the contact that was kept');
      const row = await ctx.db.selectFrom('messages').select('contact_id').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.contact_id, contact.id);
      const event = await ctx.db.selectFrom('message_events').select('detail').where('message_id', '=', id).where('kind', '=', 'accept').executeTakeFirstOrThrow();
      assert.equal(JSON.parse(event.detail).contactId, contact.id, 'the stored answer (replayed by Idempotency-Key) agrees');
    }
  });

  it('a new number is still judged by the workspace policy: marketing without an opt-in is refused', async (t) => {
    const { send } = await pipeline(fx, t);
    const res = await send({ to: '+14155550188', category: 'marketing', ...template('promo_offer') });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.details.decisions.find((d: { gate: string }) => d.gate === 'consent').outcome, 'refuse');
  });
});
