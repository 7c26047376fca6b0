import type { Db } from '../../db/database.js';
import { ParleyError } from '../../errors/parley-error.js';
import { getWorkspace, updateWorkspaceSettings } from '../../workspaces/workspace-queries.js';
import { normalizeLanguage } from '../language.js';
import { isRecord } from '../../template-text/template-shape.js';

/**
 * The workspace's template settings, kept under `settings.templates` of the workspace:
 * - requiredLanguages: every template should exist in these (the matrix flags the missing ones);
 * - fallbackLanguage: sent when a contact's language (and its base) has no translation.
 */
export interface TemplateSettings {
  requiredLanguages: string[];
  fallbackLanguage: string | null;
}

export async function getTemplateSettings(db: Db, workspaceId: string): Promise<TemplateSettings> {
  const ws = await getWorkspace(db, workspaceId);
  const raw = isRecord(ws?.settings.templates) ? ws.settings.templates : {};
  return {
    requiredLanguages: Array.isArray(raw.requiredLanguages) ? raw.requiredLanguages.filter((l): l is string => typeof l === 'string') : [],
    fallbackLanguage: typeof raw.fallbackLanguage === 'string' ? raw.fallbackLanguage : null,
  };
}

export async function setTemplateSettings(db: Db, workspaceId: string, input: { requiredLanguages?: string[]; fallbackLanguage?: string | null }): Promise<TemplateSettings> {
  const current = await getTemplateSettings(db, workspaceId);
  const canonical = (code: string, field: string) => {
    const normalized = normalizeLanguage(code);
    if (!normalized) throw new ParleyError('TEMPLATE_SETTINGS_INVALID', { message: `"${code}" is not a language code.`, field });
    return normalized;
  };
  const next: TemplateSettings = {
    requiredLanguages: input.requiredLanguages ? [...new Set(input.requiredLanguages.map((l, i) => canonical(l, `/requiredLanguages/${i}`)))] : current.requiredLanguages,
    fallbackLanguage: input.fallbackLanguage === undefined ? current.fallbackLanguage : input.fallbackLanguage === null ? null : canonical(input.fallbackLanguage, '/fallbackLanguage'),
  };
  await updateWorkspaceSettings(db, workspaceId, { templates: next });
  return next;
}
