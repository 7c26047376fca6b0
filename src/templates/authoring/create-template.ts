import type { Db } from '../../db/database.js';
import { ParleyError } from '../../errors/parley-error.js';
import { newId } from '../../shared/ids.js';
import { canonicalComponents } from '../canonical-case.js';
import { diffVersions } from '../diff/template-diff.js';
import type { LintOptions } from '../lint/types.js';
import { findTemplate, getTemplate, getVersion } from '../store/template-queries.js';
import type { Template, TemplateVersion, VersionState } from '../store/template-records.js';
import { canonicalLanguage, lintVersion, type TemplateInput, type VersionInput } from './template-input.js';

const versionRow = (template: { id: string; workspaceId: string }, number: number, input: VersionInput, extra: { diff: unknown; lint: unknown; state: VersionState; authorKeyId: string | null }, now: number) => ({
  id: newId('tplv', now),
  template_id: template.id,
  workspace_id: template.workspaceId,
  number,
  category: input.category,
  parameter_format: input.parameterFormat ?? 'POSITIONAL',
  allow_category_change: input.allowCategoryChange ? 1 : 0,
  message_send_ttl_seconds: input.messageSendTtlSeconds ?? null,
  components: JSON.stringify(input.components),
  diff: extra.diff === null ? null : JSON.stringify(extra.diff),
  lint: JSON.stringify(extra.lint),
  state: extra.state,
  author_key_id: extra.authorKeyId,
  reviewer_key_id: null,
  review_note: null,
  reviewed_at: null,
  submitted_by_key_id: null,
  submitted_at: null,
  acknowledged_warnings: null,
  provider_reason: null,
  created_at: now,
});

/** Meta's enum values upper-cased in the components (Meta takes `"type": "url"` too; rendering compares upper case). */
const canonicalInput = <T extends VersionInput>(input: T): T => ({ ...input, components: canonicalComponents(input.components) });

const diffable = (input: VersionInput) => ({
  category: input.category,
  parameter_format: input.parameterFormat ?? 'POSITIONAL',
  allow_category_change: Boolean(input.allowCategoryChange),
  message_send_ttl_seconds: input.messageSendTtlSeconds ?? null,
  components: input.components,
});

export const versionAsInput = (v: TemplateVersion): VersionInput => ({
  category: v.category as VersionInput['category'],
  parameterFormat: v.parameterFormat,
  allowCategoryChange: v.allowCategoryChange,
  messageSendTtlSeconds: v.messageSendTtlSeconds,
  components: v.components,
});

/**
 * Creates a template (one name and language in one WABA) with its first version, a draft. Lint runs and
 * its findings are stored; only errors in the permanent name and language refuse creation.
 * `state` and `authorKeyId` let the reconciliation poll import a template that already exists at Meta.
 */
export async function createTemplate(
  db: Db,
  workspaceId: string,
  given: TemplateInput,
  options: { authorKeyId: string | null; now: number; initialState?: VersionState; provider?: { status: string; at: number; templateId: string | null }; lint?: LintOptions },
): Promise<{ template: Template; version: TemplateVersion }> {
  const input = canonicalInput(given);
  const language = canonicalLanguage(input.language);
  const lint = lintVersion({ name: input.name, language }, input, options.lint);
  if (await findTemplate(db, { workspaceId, wabaId: input.wabaId, name: input.name, language })) {
    throw new ParleyError('TEMPLATE_EXISTS', { details: { wabaId: input.wabaId, name: input.name, language } });
  }
  const now = options.now;
  const id = newId('tpl', now);
  const state = options.initialState ?? 'draft';
  const version = versionRow({ id, workspaceId }, 1, input, { diff: diffVersions(null, diffable(input)), lint, state, authorKeyId: options.authorKeyId }, now);
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('templates')
        .values({
          id,
          workspace_id: workspaceId,
          waba_id: input.wabaId,
          name: input.name,
          language,
          category: input.category,
          latest_version: 1,
          live_version_id: state === 'live' ? version.id : null,
          submitted_version_id: state === 'submitted' ? version.id : null,
          // An import arrives with its provider status: set in the same insert, so no reader ever sees an
          // imported template without one (it would be refused as not live).
          provider_template_id: options.provider?.templateId ?? null,
          provider_status: options.provider?.status ?? null,
          provider_status_at: options.provider?.at ?? null,
          provider_status_detail: null,
          quality: null,
          rejection_reason: null,
          rejection_info: null,
          backup: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx.insertInto('template_versions').values(version).execute();
    });
  } catch (error) {
    // Lost a race with an identical create: the unique identity index decided.
    if (await findTemplate(db, { workspaceId, wabaId: input.wabaId, name: input.name, language })) throw new ParleyError('TEMPLATE_EXISTS', { details: { wabaId: input.wabaId, name: input.name, language } });
    throw error;
  }
  return { template: (await getTemplate(db, workspaceId, id))!, version: (await getVersion(db, id, 1))! };
}

/** An edit: a new version with its diff from the latest one. Concurrent edits get consecutive numbers. */
export async function addVersion(db: Db, template: Template, given: VersionInput, options: { authorKeyId: string | null; now: number; lint?: LintOptions }): Promise<TemplateVersion> {
  const input = canonicalInput(given);
  const lint = lintVersion(template, input, options.lint);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = (await getTemplate(db, template.workspaceId, template.id))!;
    const latest = (await getVersion(db, template.id, current.latestVersion))!;
    const diff = diffVersions(diffable(versionAsInput(latest)), diffable(input));
    if (diff.changes.length === 0) {
      throw new ParleyError('CONFLICT', { message: `Version ${latest.number} already has exactly this content; nothing to save.`, details: { version: latest.number } });
    }
    const number = current.latestVersion + 1;
    const row = versionRow(current, number, input, { diff, lint, state: 'draft', authorKeyId: options.authorKeyId }, options.now);
    const saved = await db.transaction().execute(async (trx) => {
      const bumped = await trx
        .updateTable('templates')
        .set({ latest_version: number, updated_at: options.now })
        .where('id', '=', template.id)
        .where('latest_version', '=', current.latestVersion)
        .executeTakeFirst();
      if (Number(bumped.numUpdatedRows) !== 1) return false;
      await trx.insertInto('template_versions').values(row).execute();
      return true;
    });
    if (saved) return (await getVersion(db, template.id, number))!;
  }
  throw new ParleyError('CONFLICT', { message: 'The template was edited by someone else at the same time.', details: { templateId: template.id } });
}
