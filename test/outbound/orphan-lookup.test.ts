import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { insertOutbound, insertSender, keyringOf, pidHash, webhookContext } from '../webhooks/helpers.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import { ORPHAN_LOOKUP_MAX_MS, ORPHAN_UNCONFIRMED, reconcileOrphans, type OrphanLookup } from '../../src/outbound/dispatch/reconcile.js';
import { openProviderId } from '../../src/messages/provider-ids.js';

// What crash recovery does with an orphan (a message left `sending` by a worker that is gone) for each
// answer of its provider: the lookup is injected here; the emulator drives it end to end in
// orphan-ultramsg.test.ts.
const GRACE = 30_000;

describeStorage('crash recovery asks the provider before sending an orphan again', (fx) => {
  let ctx: ParleyContext;
  let workspaceId: string;
  let senderId: string;
  before(async () => {
    ctx = webhookContext(fx);
    workspaceId = (await fx.workspace()).workspaceId;
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, provider: 'ultramsg', instanceId: 'instance9301', phoneNumberId: null });
  });

  const orphan = async (claimedAt: number) => {
    const id = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: null, status: 'sending' });
    await fx.db.updateTable('messages').set({ claimed_by: 'wrk_gone', claimed_at: claimedAt }).where('id', '=', id).execute();
    return id;
  };
  const row = (id: string) => fx.db.selectFrom('messages').select(['status', 'error_code', 'claimed_by', 'provider_id_hash', 'provider_id_sealed']).where('id', '=', id).executeTakeFirstOrThrow();
  const events = (id: string) => fx.db.selectFrom('message_events').select(['kind', 'status', 'detail']).where('message_id', '=', id).execute();
  const deadLetter = (id: string) => fx.db.selectFrom('dead_letters').select('error_code').where('message_id', '=', id).executeTakeFirst();

  it('a provider that cannot answer leaves the orphan sending; after the longest wait it ends failed, not sent again', async () => {
    const claimedAt = Date.now() - GRACE - 1000;
    const id = await orphan(claimedAt);
    let asked = 0;
    const unreachable: OrphanLookup = async (o) => {
      if (o.id === id) asked++;
      throw new Error('UltraMsg messages answered HTTP 502');
    };
    const first = await reconcileOrphans(ctx, [], GRACE, Date.now(), unreachable);
    assert.deepEqual([first.waiting.includes(id), first.requeued.includes(id), (await row(id)).status], [true, false, 'sending']);
    const later = claimedAt + GRACE + ORPHAN_LOOKUP_MAX_MS - 1;
    assert.equal((await reconcileOrphans(ctx, [], GRACE, later, unreachable)).waiting.includes(id), true, 'asked again at the next pass');
    const last = await reconcileOrphans(ctx, [], GRACE, claimedAt + GRACE + ORPHAN_LOOKUP_MAX_MS + 1, unreachable);
    assert.equal(asked, 3);
    assert.deepEqual(last.ended, [id]);
    const ended = await row(id);
    assert.deepEqual([ended.status, ended.error_code, ended.claimed_by], ['failed', ORPHAN_UNCONFIRMED, null]);
    assert.equal((await deadLetter(id))?.error_code, ORPHAN_UNCONFIRMED);
    const note = (await events(id)).find((e) => e.kind === 'note' && e.status === 'failed');
    assert.ok(note?.detail.includes('HTTP 502') && note.detail.includes('Not sent again'), note?.detail);
  });

  it('an orphan the provider lists as given up is recorded with its id and ends as the list says', async () => {
    const id = await orphan(Date.now() - GRACE - 1000);
    const expired: OrphanLookup = async (o) =>
      o.id === id ? { found: true, providerMessageId: '7301', altProviderMessageId: 'true_15550093001@c.us_3EB0EE', status: { status: 'expired', providerStatus: 'expired', errors: [{ code: 'ultramsg_expired', title: 'expired' }] }, evidence: 'listed as expired' } : { found: false };
    const pass = await reconcileOrphans(ctx, [], GRACE, Date.now(), expired);
    assert.deepEqual([pass.recorded.includes(id), pass.requeued.includes(id)], [true, false]);
    const recorded = await row(id);
    assert.deepEqual([recorded.status, recorded.error_code, recorded.provider_id_hash], ['expired', 'ultramsg_expired', pidHash(fx.db, '7301')]);
    assert.equal(await openProviderId(keyringOf(fx.db), workspaceId, recorded.provider_id_sealed), '7301');
    assert.equal((await deadLetter(id))?.error_code, 'ultramsg_expired');
    assert.ok((await events(id)).some((e) => e.kind === 'note' && e.status === 'accepted' && e.detail.includes('listed as expired')));
    const again = await reconcileOrphans(ctx, [], GRACE, Date.now(), expired);
    assert.equal(again.recorded.includes(id) || again.requeued.includes(id), false, 'settled once');
  });

  it('an orphan of a live worker, or within the grace period, is not asked about', async () => {
    const id = await orphan(Date.now() - 1000);
    let asked = false;
    const lookup: OrphanLookup = async (o) => {
      if (o.id === id) asked = true;
      return { found: false };
    };
    await reconcileOrphans(ctx, [], GRACE, Date.now(), lookup);
    await fx.db.updateTable('messages').set({ claimed_at: Date.now() - GRACE - 1000 }).where('id', '=', id).execute();
    await reconcileOrphans(ctx, ['wrk_gone'], GRACE, Date.now(), lookup);
    assert.equal(asked, false);
    assert.equal((await row(id)).status, 'sending');
  });
});
