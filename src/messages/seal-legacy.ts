// Rows written before migration 0008 (which changes only the schema: a migration has no keys),
// converted to the form the messages module now stores; run once at boot by `privacy/seal-legacy-data.ts`.
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { isSealed, providerIdHash, sealProviderId } from './provider-ids.js';

const BATCH = 500;

/** Messages: the clear provider id (now in `provider_id_sealed`) is sealed and its keyed hash set. Returns how many were. */
export async function sealLegacyProviderIds(db: Db, keyring: Keyring): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('messages').select(['id', 'workspace_id', 'provider_id_sealed', 'provider_id_hash']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    after = rows[rows.length - 1].id;
    const legacy = rows.filter((r) => r.provider_id_hash === null && r.provider_id_sealed !== null && !isSealed(r.provider_id_sealed));
    const updates = await Promise.all(
      legacy.map(async (r) => ({ id: r.id, clear: r.provider_id_sealed!, hash: providerIdHash(keyring, r.provider_id_sealed!), sealed: await sealProviderId(keyring, r.workspace_id, r.provider_id_sealed!) })),
    );
    if (updates.length) {
      await db.transaction().execute(async (trx) => {
        for (const u of updates) {
          await trx.updateTable('messages').set({ provider_id_sealed: u.sealed, provider_id_hash: u.hash }).where('id', '=', u.id).where('provider_id_sealed', '=', u.clear).where('provider_id_hash', 'is', null).execute();
        }
      });
    }
    done += updates.length;
  }
}

/** Message events: dispatch attempts lose the provider id they carried in clear. Returns how many did. */
export async function stripLegacyEventProviderIds(db: Db): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('message_events').select(['seq', 'detail']).where('seq', '>', after).where('detail', 'like', '%"providerMessageId"%').orderBy('seq').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].seq);
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const { providerMessageId: _dropped, ...detail } = JSON.parse(row.detail) as Record<string, unknown>;
        await trx.updateTable('message_events').set({ detail: JSON.stringify(detail) }).where('seq', '=', row.seq).execute();
      }
    });
    done += rows.length;
  }
}
