// Rows written before migration 0008 (which changes only the schema: a migration has no keys),
// converted to the form the contacts module now stores; run once at boot by `privacy/seal-legacy-data.ts`.
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { isSealed } from '../messages/provider-ids.js';
import { replaceContactIndexes } from './contact-indexes.js';
import { openJsonColumn, sealJsonColumn } from './contact.js';
import type { AttributeValue } from './contact-input.js';

const BATCH = 500;

/** Contacts: attributes and tags are sealed and their search rows rebuilt as keyed hashes. Returns how many contacts were. */
export async function sealLegacyContactLists(db: Db, keyring: Keyring): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('contacts').select(['id', 'workspace_id', 'tags', 'attributes', 'erased_at']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    after = rows[rows.length - 1].id;
    const legacy = rows.filter((r) => r.erased_at === null && (!isSealed(r.tags) || !isSealed(r.attributes)));
    const updates = await Promise.all(
      legacy.map(async (r) => {
        const tags = await openJsonColumn<string[]>(keyring, r.workspace_id, r.tags);
        const attributes = await openJsonColumn<Record<string, AttributeValue>>(keyring, r.workspace_id, r.attributes);
        return { row: r, tags, attributes, sealed: { tags: await sealJsonColumn(keyring, r.workspace_id, tags), attributes: await sealJsonColumn(keyring, r.workspace_id, attributes) } };
      }),
    );
    for (const u of updates) {
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('contacts')
          .set({ tags: u.sealed.tags, attributes: u.sealed.attributes })
          .where('id', '=', u.row.id)
          .where('tags', '=', u.row.tags)
          .where('attributes', '=', u.row.attributes)
          .executeTakeFirst();
        // Changed meanwhile (an update writes sealed lists and hashed search rows itself): nothing to do.
        if (Number(result.numUpdatedRows) === 0) return;
        await replaceContactIndexes(trx, keyring, u.row.workspace_id, [{ contactId: u.row.id, tags: u.tags, attributes: u.attributes }]);
      });
    }
    done += updates.length;
  }
}
