import type { Template } from '../store/template-records.js';
import { isSendable } from '../usability/template-usability.js';

export interface MatrixCell {
  language: string;
  templateId: string;
  status: string;
  /** Sends in this language work now (a version is live and the provider lets it send). */
  sendable: boolean;
}

export interface MatrixRow {
  wabaId: string;
  name: string;
  category: string;
  languages: MatrixCell[];
  /** Required languages with no translation at all. */
  missing: string[];
  /** Required languages whose translation exists but cannot be sent now. */
  notSendable: string[];
}

/** The localisation matrix: every template name with its translations, against the required languages. Pure. */
export function buildMatrix(templates: readonly Template[], requiredLanguages: readonly string[]): MatrixRow[] {
  const groups = new Map<string, Template[]>();
  for (const t of templates) {
    const key = `${t.wabaId}\u0000${t.name}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()]
    .map((group) => {
      const languages = group
        .map((t) => ({ language: t.language, templateId: t.id, status: t.providerStatus ?? (t.submittedVersionId ? 'SUBMITTED' : 'DRAFT'), sendable: isSendable(t) }))
        .sort((a, b) => a.language.localeCompare(b.language));
      const present = new Set(languages.map((l) => l.language));
      return {
        wabaId: group[0].wabaId,
        name: group[0].name,
        category: group[0].category,
        languages,
        missing: requiredLanguages.filter((l) => !present.has(l)),
        notSendable: requiredLanguages.filter((l) => present.has(l) && !languages.find((c) => c.language === l)!.sendable),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.wabaId.localeCompare(b.wabaId));
}
