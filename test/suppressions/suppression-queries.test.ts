import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { addSuppression, suppressionsOfContact, suppressionsOfContacts } from '../../src/suppressions/suppression-queries.js';

describeStorage('suppression queries', (fx) => {
  it('adds a suppression within the caller\'s transaction: kept on commit, gone on rollback', async () => {
    await assert.rejects(
      fx.db.transaction().execute(async (tx) => {
        await addSuppression(tx, { workspaceId: 'ws_a', contactId: 'ct_rolled_back', scope: 'all', reason: 'undeliverable', at: 1_000 });
        assert.equal((await suppressionsOfContact(tx, 'ws_a', 'ct_rolled_back')).length, 1, 'seen inside the transaction');
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await suppressionsOfContact(fx.db, 'ws_a', 'ct_rolled_back'), []);

    await fx.db.transaction().execute(async (tx) => {
      await addSuppression(tx, { workspaceId: 'ws_a', contactId: 'ct_committed', scope: 'marketing', reason: 'stopped marketing', at: 2_000 });
    });
    assert.deepEqual(await suppressionsOfContact(fx.db, 'ws_a', 'ct_committed'), [{ scope: 'marketing', reason: 'stopped marketing', expiresAt: null }]);
    const row = await fx.db.selectFrom('suppressions').selectAll().where('contact_id', '=', 'ct_committed').executeTakeFirstOrThrow();
    assert.equal(Number(row.created_at), 2_000);
    assert.equal(row.workspace_id, 'ws_a');
  });

  it('keeps the first suppression of a scope and adds the other scope beside it', async () => {
    await addSuppression(fx.db, { workspaceId: 'ws_a', contactId: 'ct_twice', scope: 'marketing', reason: 'first', at: 1_000 });
    await addSuppression(fx.db, { workspaceId: 'ws_a', contactId: 'ct_twice', scope: 'marketing', reason: 'second', at: 2_000 });
    await addSuppression(fx.db, { workspaceId: 'ws_a', contactId: 'ct_twice', scope: 'all', reason: 'blocked', at: 3_000 });
    const found = await suppressionsOfContact(fx.db, 'ws_a', 'ct_twice');
    assert.deepEqual(
      found.sort((a, b) => a.scope.localeCompare(b.scope)),
      [
        { scope: 'all', reason: 'blocked', expiresAt: null },
        { scope: 'marketing', reason: 'first', expiresAt: null },
      ],
    );
  });

  it('reads one contact of one workspace, and many contacts at a time by contact id', async () => {
    await addSuppression(fx.db, { workspaceId: 'ws_b', contactId: 'ct_one', scope: 'all', reason: 'one', at: 1_000 });
    await addSuppression(fx.db, { workspaceId: 'ws_b', contactId: 'ct_two', scope: 'marketing', reason: 'two', at: 1_000 });
    await addSuppression(fx.db, { workspaceId: 'ws_b', contactId: 'ct_two', scope: 'all', reason: 'two all', at: 1_000 });

    assert.deepEqual(await suppressionsOfContact(fx.db, 'ws_b', 'ct_one'), [{ scope: 'all', reason: 'one', expiresAt: null }]);
    assert.deepEqual(await suppressionsOfContact(fx.db, 'ws_other', 'ct_one'), [], 'another workspace sees none');

    const many = await suppressionsOfContacts(fx.db, ['ct_one', 'ct_two', 'ct_one', 'ct_none']);
    assert.deepEqual([...many.keys()].sort(), ['ct_one', 'ct_two'], 'a contact without suppressions is absent');
    assert.deepEqual(many.get('ct_one'), [{ scope: 'all', reason: 'one', expiresAt: null }]);
    assert.deepEqual(many.get('ct_two')!.map((s) => s.reason).sort(), ['two', 'two all']);
    assert.equal((await suppressionsOfContacts(fx.db, [])).size, 0);
  });
});
