import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Store } from '../../src/db/database.js';
import { DIALECTS } from '../../src/db/dialect.js';
import { migrate } from '../../src/db/migrate.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { newId } from '../../src/shared/ids.js';
import { STATUS_RANK, type MessageStatus } from '../../src/messages/status.js';
import { isRefusalCode } from '../../src/errors/refusal-codes.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from '../harness/postgres.js';
import { storeAtEarlierSchema } from '../harness/earlier-schema.js';

// Migration 0012 rewrites the refusal codes stored in their earlier upper-case spelling (decision 0012).
// This builds a database at 0011, stores rows the way the code before 0012 did, migrates and reads them.
for (const dialect of DIALECTS) {
  describe(`refusal codes stored before 0012 [${dialect}]`, { skip: dialect === 'postgres' && !POSTGRES_URL ? POSTGRES_SKIP_REASON : false }, () => {
    let store: Store;
    const cleanup: Array<() => unknown> = [];
    before(async () => {
      ({ store } = await storeAtEarlierSchema(dialect, (name) => name < '0012', cleanup));
    });
    after(async () => {
      await store?.close();
      for (const fn of cleanup.reverse()) await fn();
    });

    it('rewrites error codes, dead letters and decision logs to the lower-case codes, and leaves provider codes alone', async () => {
      const legacy = store.db as unknown as Kysely<any>;
      const ws = await createWorkspace(store.db, { name: 'legacy' });
      const now = Date.now();
      const message = async (status: MessageStatus, errorCode: string | null) => {
        const id = newId('msg');
        await legacy.insertInto('messages').values({
          id, workspace_id: ws.id, direction: 'outbound', sender_id: null, contact_id: null, category: 'marketing', lane_priority: 3, type: 'text', content: null, template_name: null,
          template_language: null, intent: null, status, status_rank: STATUS_RANK[status], status_at: now, provider_id_sealed: null, provider_id_hash: null, idempotency_key: null, request_hash: null,
          send_at: now, valid_until: null, next_attempt_at: now, claimed_by: null, claimed_at: null, error_code: errorCode, error_message: errorCode ? 'why' : null, metadata: '{}', reply_to: null, created_at: now, updated_at: now,
        }).execute();
        return id;
      };
      const consent = await message('refused', 'CONSENT_NO_OPT_IN');
      const fallback = await message('refused', 'FALLBACK_CHANNEL_UNAVAILABLE');
      const window = await message('refused', 'window_closed');
      const failed = await message('failed', '131047');
      const view = {
        id: consent, status: 'refused',
        decisions: [{ gate: 'validity', outcome: 'pass' }, { gate: 'consent', outcome: 'refuse', reason: 'no opt-in', code: 'CONSENT_NO_OPT_IN' }],
        intent: { name: 'promo', decision: { reroute: { from: { name: 'a', language: 'en' }, code: 'TEMPLATE_PAUSED', reason: 'paused' } } },
      };
      await legacy.insertInto('message_events').values([
        { message_id: consent, kind: 'accept', status: 'refused', at: now, detail: JSON.stringify(view) },
        { message_id: fallback, kind: 'decision', status: null, at: now, detail: JSON.stringify({ stage: 'dispatch', gates: [{ gate: 'template', outcome: 'reroute', reason: 'paused' }] }) },
        { message_id: failed, kind: 'decision', status: null, at: now, detail: JSON.stringify({ stage: 'window_closed', code: '131047' }) },
      ]).execute();
      await legacy.insertInto('dead_letters').values([
        { message_id: fallback, workspace_id: ws.id, reason: 'why', error_code: 'FALLBACK_CHANNEL_UNAVAILABLE', attempts: 1, created_at: now },
        { message_id: failed, workspace_id: ws.id, reason: 'why', error_code: '131047', attempts: 1, created_at: now },
      ]).execute();

      await migrate(store);

      const codes = Object.fromEntries((await store.db.selectFrom('messages').select(['id', 'error_code']).execute()).map((r) => [r.id, r.error_code]));
      assert.deepEqual([codes[consent], codes[fallback], codes[window], codes[failed]], ['consent_no_opt_in', 'fallback_channel_unavailable', 'window_closed', '131047']);
      const letters = Object.fromEntries((await store.db.selectFrom('dead_letters').select(['message_id', 'error_code']).execute()).map((r) => [r.message_id, r.error_code]));
      assert.deepEqual([letters[fallback], letters[failed]], ['fallback_channel_unavailable', '131047']);
      const events = await store.db.selectFrom('message_events').select(['message_id', 'detail']).orderBy('seq').execute();
      const accept = JSON.parse(events.find((e) => e.message_id === consent)!.detail) as typeof view;
      assert.deepEqual(accept, { ...view, decisions: [view.decisions[0], { ...view.decisions[1], code: 'consent_no_opt_in' }], intent: { name: 'promo', decision: { reroute: { ...view.intent.decision.reroute, code: 'template_paused' } } } });
      assert.ok(accept.decisions.every((d) => !('code' in d) || isRefusalCode(d.code)));
      assert.deepEqual(JSON.parse(events.find((e) => e.message_id === failed)!.detail), { stage: 'window_closed', code: '131047' });
    });
  });
}
