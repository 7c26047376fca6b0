import type { ParleyContext } from '../runtime/context.js';

/** What a list shows of a contact to name them: the display name and phone number, decrypted. */
export interface ContactCard {
  name: string | null;
  phone: string | null;
}

/**
 * Some contacts of the workspace as a list names them (the conversations list's `include=contact`,
 * wired at the composition root), read in one query: personal data, so the caller checks
 * `contacts.read_pii` and records the read. A contact merged into another or erased has neither (null,
 * null), as has an id that is not the workspace's (absent from the map).
 */
export async function contactCards(ctx: ParleyContext, input: { workspaceId: string; contactIds: readonly string[] }): Promise<Map<string, ContactCard>> {
  const cards = new Map<string, ContactCard>();
  const ids = [...new Set(input.contactIds)];
  if (ids.length === 0) return cards;
  const rows = await ctx.db
    .selectFrom('contacts')
    .select(['id', 'name', 'phone', 'merged_into', 'erased_at'])
    .where('workspace_id', '=', input.workspaceId)
    .where('id', 'in', ids)
    .execute();
  await Promise.all(
    rows.map(async (row) => {
      const gone = row.merged_into !== null || row.erased_at !== null;
      const [name, phone] = gone
        ? [null, null]
        : await Promise.all([ctx.keyring.decryptNullable(input.workspaceId, row.name), ctx.keyring.decryptNullable(input.workspaceId, row.phone)]);
      cards.set(row.id, { name, phone });
    }),
  );
  return cards;
}
