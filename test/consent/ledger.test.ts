import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeStorage } from '../harness/storage.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { CHANNELS, PURPOSES } from '../../src/consent/types.js';

describeStorage('consent ledger', (fx) => {
  it('current consent after any sequence of grants and withdrawals is each pair\'s last event (through the API)', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    let phone = 14155560000;
    const base = Date.now() - 10_000_000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ purpose: fc.constantFrom(...PURPOSES), channel: fc.constantFrom(...CHANNELS), status: fc.constantFrom('granted', 'withdrawn') }), { maxLength: 12 }),
        fc.func(fc.nat()),
        async (events, order) => {
          const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, `+${++phone}`);
          // Each event has its own effective time; they are recorded in an arbitrary order.
          const dated = events.map((e, i) => ({ ...e, effectiveAt: new Date(base + i * 1000).toISOString() }));
          const recordingOrder = dated.map((e, i) => ({ e, k: order(i) })).sort((x, y) => x.k - y.k).map((x) => x.e);
          for (const e of recordingOrder) {
            const res = await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: e });
            assert.equal(res.statusCode, 201, res.body);
          }
          const expected = new Map(dated.map((e) => [`${e.purpose}/${e.channel}`, e.status]));
          const current = (await app.inject({ url: `/v1/contacts/${id}/consent`, headers: { authorization } })).json();
          assert.equal(current.consent.length, PURPOSES.length * CHANNELS.length);
          for (const c of current.consent) assert.equal(c.status, expected.get(`${c.purpose}/${c.channel}`) ?? 'none', `${c.purpose}/${c.channel}`);
          const history = (await app.inject({ url: `/v1/contacts/${id}/consent/history`, headers: { authorization } })).json();
          assert.equal(history.records.length, events.length, 'every record is kept');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps the wording, proof and actor of each record, and shows them in the history', async () => {
    const app = await fx.app();
    const { authorization, workspaceId } = await fx.workspace();
    const ctx = fx.context();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987650011');
    const res = await app.inject({
      method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization },
      payload: { purpose: 'marketing', channel: 'sms', status: 'granted', source: 'pos', wording: 'I agree to receive offers by SMS.', proof: { receiptNumber: 'R-1001', formId: 'till-7' }, actor: { type: 'user', id: 'cashier-42' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { record } = res.json();
    assert.equal(record.actor.type, 'user');
    assert.equal(record.actor.id, 'cashier-42');
    assert.match(record.actor.via, /^key_/);
    const [entry] = (await app.inject({ url: `/v1/contacts/${id}/consent/history`, headers: { authorization } })).json().records;
    assert.equal(entry.wording, 'I agree to receive offers by SMS.');
    assert.deepEqual(entry.proof, { receiptNumber: 'R-1001', formId: 'till-7' });
    assert.equal(entry.source, 'pos');
    const stored = await fx.db.selectFrom('consent_proofs').select('proof').where('record_id', '=', record.id).executeTakeFirstOrThrow();
    assert.ok(!stored.proof.includes('R-1001'), 'proof is stored encrypted');
  });

  it('is append-only: the database refuses to update or delete a record', async () => {
    const app = await fx.app();
    const { authorization, workspaceId } = await fx.workspace();
    const ctx = fx.context();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987650012');
    const { record } = (await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'email', status: 'granted' } })).json();
    await assert.rejects(sql`update consent_records set status = 'withdrawn' where id = ${record.id}`.execute(fx.db), /append-only/);
    await assert.rejects(sql`delete from consent_records where id = ${record.id}`.execute(fx.db), /append-only/);
    const row = await fx.db.selectFrom('consent_records').select('status').where('id', '=', record.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'granted');
  });

  it('records once per idempotency key, and refuses an effective time in the future', async () => {
    const app = await fx.app();
    const { authorization, workspaceId } = await fx.workspace();
    const ctx = fx.context();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987650013');
    const payload = { purpose: 'utility', channel: 'whatsapp', status: 'withdrawn', idempotencyKey: 'form-77' };
    const first = await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload });
    const second = await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload });
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().created, false);
    assert.equal(second.json().record.id, first.json().record.id);
    const future = await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', effectiveAt: new Date(Date.now() + 86_400_000).toISOString() } });
    assert.equal(future.statusCode, 400);
    assert.equal(future.json().error.code, 'CONSENT_EFFECTIVE_AT_INVALID');
    const unknownPurpose = await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: { purpose: 'spam', channel: 'whatsapp', status: 'granted' } });
    assert.equal(unknownPurpose.statusCode, 400);
    assert.equal(unknownPurpose.json().error.field, '/purpose');
  });

  it('a batch records the good items and reports the bad ones by index', async () => {
    const app = await fx.app();
    const { authorization, workspaceId } = await fx.workspace();
    const ctx = fx.context();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987650014');
    const res = await app.inject({
      method: 'POST', url: '/v1/consent/records', headers: { authorization },
      payload: { records: [
        { contactId: id, purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'app' },
        { contactId: 'ct_01J0000000000000000000000', purpose: 'marketing', channel: 'whatsapp', status: 'granted' },
        { contactId: id, purpose: 'marketing', channel: 'email', status: 'granted', effectiveAt: new Date(Date.now() + 86_400_000).toISOString() },
        { contactId: id, purpose: 'marketing', channel: 'sms', status: 'withdrawn' },
      ] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.recorded, 2);
    assert.equal(body.failed, 2);
    assert.deepEqual(body.results.map((r: { ok: boolean }) => r.ok), [true, false, false, true]);
    assert.equal(body.results[1].error.code, 'CONTACT_NOT_FOUND');
    assert.equal(body.results[2].error.code, 'CONSENT_EFFECTIVE_AT_INVALID');
    assert.equal(body.results[2].error.field, '/records/2/effectiveAt');
  });

  it('needs consent:write to record', async () => {
    const app = await fx.app();
    const { authorization, workspaceId } = await fx.workspace(['contacts:read', 'contacts:write']);
    const ctx = fx.context();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511987650015');
    const res = await app.inject({ method: 'POST', url: `/v1/contacts/${id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.details.requiredScope, 'consent:write');
  });
});
