import type { Db } from '../../db/database.js';

export interface StoredAlert {
  id: string;
  type: string;
  templateId: string | null;
  intentId: string | null;
  data: Record<string, unknown>;
  createdAt: number;
}

/** Newest first; `before` is the id of the last alert of the previous page. */
export async function listAlerts(db: Db, workspaceId: string, options: { limit: number; before?: string; type?: string }): Promise<StoredAlert[]> {
  let query = db.selectFrom('template_alerts').selectAll().where('workspace_id', '=', workspaceId);
  if (options.type) query = query.where('type', '=', options.type);
  if (options.before) query = query.where('id', '<', options.before);
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({ id: r.id, type: r.type, templateId: r.template_id, intentId: r.intent_id, data: JSON.parse(r.data) as Record<string, unknown>, createdAt: Number(r.created_at) }));
}
