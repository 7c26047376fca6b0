import type { Db } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import type { TemplateBinding } from './binding.js';

export interface Intent {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  text: string | null;
  template: TemplateBinding | null;
  createdAt: number;
  updatedAt: number;
}

type Row = { id: string; workspace_id: string; name: string; description: string | null; text: string | null; template: string | null; created_at: number; updated_at: number };

const toIntent = (r: Row): Intent => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  text: r.text,
  template: r.template === null ? null : (JSON.parse(r.template) as TemplateBinding),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export interface IntentInput {
  name: string;
  description?: string | null;
  text?: string | null;
  template?: TemplateBinding | null;
}

/** Inserts an intent; false when the name is taken (the unique index decides). */
export async function insertIntent(db: Db, workspaceId: string, input: IntentInput, now: number): Promise<Intent | undefined> {
  const row: Row = { id: newId('int', now), workspace_id: workspaceId, name: input.name, description: input.description ?? null, text: input.text ?? null, template: input.template ? JSON.stringify(input.template) : null, created_at: now, updated_at: now };
  const result = await db.insertInto('intents').values(row).onConflict((oc) => oc.columns(['workspace_id', 'name']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? toIntent(row) : undefined;
}

export async function getIntentByName(db: Db, workspaceId: string, name: string): Promise<Intent | undefined> {
  const row = await db.selectFrom('intents').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
  return row && toIntent(row);
}

export async function getIntentById(db: Db, id: string): Promise<Intent | undefined> {
  const row = await db.selectFrom('intents').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toIntent(row);
}

export async function listIntents(db: Db, workspaceId: string): Promise<Intent[]> {
  const rows = await db.selectFrom('intents').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
  return rows.map(toIntent);
}

export async function updateIntent(db: Db, intent: Intent, patch: Omit<IntentInput, 'name'>, now: number): Promise<Intent> {
  const next = { ...intent, ...patch, updatedAt: now } as Intent;
  await db
    .updateTable('intents')
    .set({ description: next.description ?? null, text: next.text ?? null, template: next.template ? JSON.stringify(next.template) : null, updated_at: now })
    .where('id', '=', intent.id)
    .execute();
  return next;
}

/** Deletes an intent with its variants, rollouts and attributed opt-outs. Messages keep their intent name. */
export async function deleteIntent(db: Db, intent: Intent): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('variant_optouts').where('intent_id', '=', intent.id).execute();
    await trx.deleteFrom('intent_rollouts').where('intent_id', '=', intent.id).execute();
    await trx.deleteFrom('intent_variants').where('intent_id', '=', intent.id).execute();
    await trx.deleteFrom('intents').where('id', '=', intent.id).execute();
  });
}
