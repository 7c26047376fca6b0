import type { Db } from '../../db/database.js';
import { ParleyError } from '../../errors/parley-error.js';
import { expectedParameters } from '../../template-text/expected-parameters.js';
import { findTemplate, getVersionById } from './template-queries.js';
import type { Backup, Template } from './template-records.js';
import { normalizeLanguage } from '../language.js';

/** Version numbers of the live and submitted versions, for presenting a template. */
export async function versionNumbers(db: Db, t: Template): Promise<{ live: number | null; submitted: number | null }> {
  const live = t.liveVersionId ? await getVersionById(db, t.liveVersionId) : undefined;
  const submitted = t.submittedVersionId ? await getVersionById(db, t.submittedVersionId) : undefined;
  return { live: live?.number ?? null, submitted: submitted?.number ?? null };
}

async function sendShape(db: Db, t: Template) {
  const live = t.liveVersionId ? await getVersionById(db, t.liveVersionId) : undefined;
  if (!live) return undefined;
  const e = expectedParameters({ name: t.name, language: t.language, category: live.category, parameter_format: live.parameterFormat, components: live.components });
  // Quick-reply payloads are optional, so they do not need to match.
  return JSON.stringify({ header: e.header.kind === 'text' ? 'text' : e.header, body: e.body, buttons: e.buttons.filter((b) => b.kind !== 'quick_reply').map((b) => [b.index, b.kind]) });
}

/**
 * Sets (or clears) what sends of a template use while it cannot be sent. A backup template must be
 * another template of the same workspace and WABA and, when both have live versions, take the same
 * parameters: a rerouted send is rendered with the parameters meant for the original.
 */
export async function setBackup(db: Db, template: Template, backup: Backup | null, now: number): Promise<void> {
  let stored = backup;
  if (backup?.kind === 'template') {
    const language = normalizeLanguage(backup.language ?? template.language) ?? backup.language ?? template.language;
    if (backup.name === template.name && language === template.language) throw new ParleyError('TEMPLATE_BACKUP_INVALID', { message: 'A template cannot be its own backup.', field: '/backup/name' });
    const target = await findTemplate(db, { workspaceId: template.workspaceId, wabaId: template.wabaId, name: backup.name, language });
    if (!target) throw new ParleyError('TEMPLATE_BACKUP_INVALID', { message: `No template ${backup.name} (${language}) in WABA ${template.wabaId}.`, field: '/backup/name' });
    const [a, b] = [await sendShape(db, template), await sendShape(db, target)];
    if (a && b && a !== b) throw new ParleyError('TEMPLATE_BACKUP_INVALID', { message: `${backup.name} (${language}) takes different parameters than ${template.name}; a rerouted send could not be rendered.`, field: '/backup/name', details: { template: JSON.parse(a), backup: JSON.parse(b) } });
    stored = { kind: 'template', name: backup.name, language };
  }
  await db.updateTable('templates').set({ backup: stored ? JSON.stringify(stored) : null, updated_at: now }).where('id', '=', template.id).execute();
}

/** Removes a template and its history from Parley (after the provider deleted it). */
export async function deleteTemplateRows(db: Db, template: Template): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('template_status_events').where('template_id', '=', template.id).execute();
    await trx.updateTable('templates').set({ live_version_id: null, submitted_version_id: null }).where('id', '=', template.id).execute();
    await trx.deleteFrom('template_versions').where('template_id', '=', template.id).execute();
    await trx.deleteFrom('templates').where('id', '=', template.id).execute();
  });
}
