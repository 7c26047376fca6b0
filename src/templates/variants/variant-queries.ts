import type { Db } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import type { TemplateBinding } from '../intents/binding.js';

export interface Variant {
  id: string;
  intentId: string;
  workspaceId: string;
  name: string;
  weight: number;
  isControl: boolean;
  text: string | null;
  template: TemplateBinding | null;
  state: 'active' | 'halted';
  haltedReason: string | null;
  haltedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

type Row = {
  id: string; intent_id: string; workspace_id: string; name: string; weight: number; is_control: number; text: string | null; template: string | null;
  state: string; halted_reason: string | null; halted_at: number | null; created_at: number; updated_at: number;
};

const toVariant = (r: Row): Variant => ({
  id: r.id,
  intentId: r.intent_id,
  workspaceId: r.workspace_id,
  name: r.name,
  weight: Number(r.weight),
  isControl: Boolean(Number(r.is_control)),
  text: r.text,
  template: r.template === null ? null : (JSON.parse(r.template) as TemplateBinding),
  state: r.state as Variant['state'],
  haltedReason: r.halted_reason,
  haltedAt: r.halted_at === null ? null : Number(r.halted_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export interface VariantInput {
  name: string;
  weight: number;
  isControl: boolean;
  text?: string | null;
  template?: TemplateBinding | null;
}

export async function insertVariant(db: Db, intent: { id: string; workspaceId: string }, input: VariantInput, now: number): Promise<Variant | undefined> {
  const row: Row = {
    id: newId('var', now), intent_id: intent.id, workspace_id: intent.workspaceId, name: input.name, weight: input.weight, is_control: input.isControl ? 1 : 0,
    text: input.text ?? null, template: input.template ? JSON.stringify(input.template) : null, state: 'active', halted_reason: null, halted_at: null, created_at: now, updated_at: now,
  };
  const result = await db.insertInto('intent_variants').values(row).onConflict((oc) => oc.columns(['intent_id', 'name']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? toVariant(row) : undefined;
}

export async function listVariants(db: Db, intentId: string): Promise<Variant[]> {
  const rows = await db.selectFrom('intent_variants').selectAll().where('intent_id', '=', intentId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toVariant);
}

export async function getVariant(db: Db, intentId: string, id: string): Promise<Variant | undefined> {
  const row = await db.selectFrom('intent_variants').selectAll().where('intent_id', '=', intentId).where('id', '=', id).executeTakeFirst();
  return row && toVariant(row);
}

export async function updateVariant(db: Db, variant: Variant, patch: { weight?: number; text?: string | null; template?: TemplateBinding | null; state?: 'active' | 'halted'; haltedReason?: string | null }, now: number): Promise<Variant> {
  const state = patch.state ?? variant.state;
  await db
    .updateTable('intent_variants')
    .set({
      ...(patch.weight !== undefined ? { weight: patch.weight } : {}),
      ...(patch.text !== undefined ? { text: patch.text } : {}),
      ...(patch.template !== undefined ? { template: patch.template ? JSON.stringify(patch.template) : null } : {}),
      state,
      ...(patch.state === 'halted' ? { halted_reason: patch.haltedReason ?? null, halted_at: now } : {}),
      ...(patch.state === 'active' ? { halted_reason: null, halted_at: null } : {}),
      updated_at: now,
    })
    .where('id', '=', variant.id)
    .execute();
  return (await getVariant(db, variant.intentId, variant.id))!;
}
