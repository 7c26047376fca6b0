import type { Db } from '../../db/database.js';
import { toTemplate, toVersion, type Template, type TemplateVersion } from './template-records.js';

export async function getTemplate(db: Db, workspaceId: string, id: string): Promise<Template | undefined> {
  const row = await db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && toTemplate(row);
}

export async function findTemplate(db: Db, ref: { workspaceId: string; wabaId: string; name: string; language: string }): Promise<Template | undefined> {
  const row = await db
    .selectFrom('templates')
    .selectAll()
    .where('workspace_id', '=', ref.workspaceId)
    .where('waba_id', '=', ref.wabaId)
    .where('name', '=', ref.name)
    .where('language', '=', ref.language)
    .executeTakeFirst();
  return row && toTemplate(row);
}

/** Every translation of a template name in a WABA. */
export async function listTranslations(db: Db, ref: { workspaceId: string; wabaId: string; name: string }): Promise<Template[]> {
  const rows = await db
    .selectFrom('templates')
    .selectAll()
    .where('workspace_id', '=', ref.workspaceId)
    .where('waba_id', '=', ref.wabaId)
    .where('name', '=', ref.name)
    .orderBy('language')
    .execute();
  return rows.map(toTemplate);
}

/** Templates a provider fact is about: Meta's events carry the WABA, not Parley's workspace. */
export async function findTemplatesForProviderFact(db: Db, fact: { wabaId: string; name: string; language: string; providerTemplateId?: string }): Promise<Template[]> {
  const rows = await db.selectFrom('templates').selectAll().where('waba_id', '=', fact.wabaId).where('name', '=', fact.name).where('language', '=', fact.language).execute();
  if (rows.length || !fact.providerTemplateId) return rows.map(toTemplate);
  const byId = await db.selectFrom('templates').selectAll().where('waba_id', '=', fact.wabaId).where('provider_template_id', '=', fact.providerTemplateId).execute();
  return byId.map(toTemplate);
}

export interface TemplateFilter {
  wabaId?: string;
  name?: string;
  language?: string;
  providerStatus?: string;
  limit: number;
  /** The last id of the previous page. */
  after?: string;
}

export async function listTemplates(db: Db, workspaceId: string, filter: TemplateFilter): Promise<Template[]> {
  let query = db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.wabaId) query = query.where('waba_id', '=', filter.wabaId);
  if (filter.name) query = query.where('name', '=', filter.name);
  if (filter.language) query = query.where('language', '=', filter.language);
  if (filter.providerStatus) query = query.where('provider_status', '=', filter.providerStatus);
  if (filter.after) query = query.where('id', '>', filter.after);
  const rows = await query.orderBy('id').limit(filter.limit).execute();
  return rows.map(toTemplate);
}

export async function listAllTemplates(db: Db, workspaceId: string): Promise<Template[]> {
  const rows = await db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('language').execute();
  return rows.map(toTemplate);
}

export async function getVersion(db: Db, templateId: string, number: number): Promise<TemplateVersion | undefined> {
  const row = await db.selectFrom('template_versions').selectAll().where('template_id', '=', templateId).where('number', '=', number).executeTakeFirst();
  return row && toVersion(row);
}

export async function getVersionById(db: Db, id: string): Promise<TemplateVersion | undefined> {
  const row = await db.selectFrom('template_versions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toVersion(row);
}

export async function listVersions(db: Db, templateId: string): Promise<TemplateVersion[]> {
  const rows = await db.selectFrom('template_versions').selectAll().where('template_id', '=', templateId).orderBy('number').execute();
  return rows.map(toVersion);
}

export interface StatusEvent {
  status: string;
  reason: string | null;
  detail: Record<string, unknown>;
  source: string;
  at: number;
}

export async function listStatusEvents(db: Db, templateId: string): Promise<StatusEvent[]> {
  const rows = await db.selectFrom('template_status_events').selectAll().where('template_id', '=', templateId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ status: r.status, reason: r.reason, detail: JSON.parse(r.detail) as Record<string, unknown>, source: r.source, at: Number(r.at) }));
}
