import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { consentGate } from '../../src/consent/consent-gate.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { mergeContacts } from '../../src/contacts/merge-contacts.js';
import type { OutboundDraft } from '../../src/outbound/gates/gate.js';

describeStorage('consent gate with the ledger', (fx) => {
  const draftFor = (workspaceId: string, contactId: string, createdAt: number, purpose: OutboundDraft['purpose'] = 'marketing'): OutboundDraft => ({
    workspaceId, senderId: 'snd_x', provider: 'cloud', contactId, to: '+5511987654321', lane: 'marketing', type: 'template', purpose, channel: 'whatsapp', createdAt,
  });
  const run = async (ctx: ReturnType<typeof fx.context>, draft: OutboundDraft) => consentGate.decide(draft, await consentGate.load(ctx, draft), Date.now());

  it('refuses marketing without an opt-in, passes with one, and refuses at dispatch a message accepted before the withdrawal', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987654321');
    const first = await run(ctx, draftFor(workspaceId, id, Date.now()));
    assert.deepEqual([first.outcome, first.outcome === 'refuse' && first.code], ['refuse', 'consent_no_opt_in']);

    await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'web', effectiveAt: new Date(Date.now() - 60_000).toISOString() } });
    // The draft is accepted while the opt-in is live...
    const draft = draftFor(workspaceId, id, Date.now());
    assert.equal((await run(ctx, draft)).outcome, 'pass');
    // ...the customer withdraws before it is dispatched...
    await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'withdrawn', source: 'whatsapp' } });
    // ...and the gate, run again at dispatch, refuses it.
    const atDispatch = await run(ctx, draft);
    assert.equal(atDispatch.outcome, 'refuse');
    assert.equal(atDispatch.outcome === 'refuse' && atDispatch.code, 'consent_withdrawn');
    assert.match(atDispatch.outcome === 'refuse' ? atDispatch.reason : '', /withdrew marketing consent on whatsapp/);
  });

  it('follows the workspace policy for utility, set through the API', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+14155550123');
    assert.equal((await run(ctx, draftFor(workspaceId, id, Date.now(), 'utility'))).outcome, 'pass');
    const res = await app.inject({ method: 'PATCH', url: '/v1/consent/policy', headers: { authorization }, payload: { utility: 'opt_in' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().utility, 'opt_in');
    assert.equal(res.json().authentication, 'implicit');
    const v = await run(ctx, draftFor(workspaceId, id, Date.now(), 'utility'));
    assert.equal(v.outcome === 'refuse' && v.code, 'consent_no_opt_in');
    assert.equal((await app.inject({ url: '/v1/consent/policy', headers: { authorization } })).json().utility, 'opt_in');
    const bad = await app.inject({ method: 'PATCH', url: '/v1/consent/policy', headers: { authorization }, payload: { utility: 'sometimes' } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /must be one of "implicit", "opt_in"/);
  });

  it('a draft addressed to a contact later merged is decided on the survivor\'s consent', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const a = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+14155550124');
    const b = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+14155550125');
    await app.inject({ method: 'POST', url: `/v1/contacts/${a.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted' } });
    const draft = draftFor(workspaceId, b.id, Date.now());
    assert.equal((await run(ctx, draft)).outcome, 'refuse');
    await mergeContacts(ctx.db, ctx.keyring, workspaceId, { survivorId: a.id, mergedId: b.id, actor: { type: 'system', id: 'test' } });
    assert.equal((await run(ctx, draft)).outcome, 'pass');
  });

  it('loads the facts of a whole batch at once, the same as one by one', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const ids: string[] = [];
    for (const phone of ['+14155550131', '+14155550132', '+14155550133', '+14155550134']) ids.push((await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, phone)).id);
    await app.inject({ method: 'POST', url: `/v1/contacts/${ids[0]}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted' } });
    await app.inject({ method: 'POST', url: `/v1/contacts/${ids[1]}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'withdrawn' } });
    await mergeContacts(ctx.db, ctx.keyring, workspaceId, { survivorId: ids[2], mergedId: ids[0], actor: { type: 'system', id: 'test' } });
    await app.inject({ method: 'DELETE', url: `/v1/contacts/${ids[3]}`, headers: { authorization } });
    const other = await fx.workspace();
    const drafts = [...ids, 'ct_01J0000000000000000000000'].map((id) => draftFor(workspaceId, id, Date.now()));
    drafts.push(draftFor(other.workspaceId, ids[1], Date.now()));
    const many = await consentGate.loadMany!(ctx, drafts);
    const one = await Promise.all(drafts.map((d) => consentGate.load(ctx, d)));
    const byId = (f: { records: Array<{ id: string }> }) => f.records.map((r) => r.id).sort();
    assert.deepEqual(many.map((f) => [f.contact, byId(f), f.policy]), one.map((f) => [f.contact, byId(f), f.policy]));
    assert.deepEqual(many.map((f) => consentGate.decide(drafts[0], f, Date.now()).outcome), ['pass', 'refuse', 'pass', 'refuse', 'refuse', 'refuse']);
  });
});
