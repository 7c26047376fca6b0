// What the template pages read and write: the views of src/templates/routes (schemas.ts, template-routes.ts).
import { api } from '../../api.js';
import type { PreviewComponent } from '../../components/whatsapp-preview.js';

export interface Template {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  sendable: boolean;
  providerTemplateId: string | null;
  quality: string | null;
  latestVersion: number;
  liveVersion: number | null;
  submittedVersion: number | null;
  rejection: { reason: string | null; info: Record<string, unknown> | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface Finding {
  ruleId: string;
  severity: 'error' | 'warning';
  path: string;
  message: string;
  fix: string;
}

export type VersionState = 'draft' | 'changes_requested' | 'approved' | 'submitted' | 'live' | 'rejected' | 'superseded';

export interface Version {
  id: string;
  number: number;
  state: VersionState;
  category: string;
  parameterFormat: string;
  allowCategoryChange: boolean;
  messageSendTtlSeconds: number | null;
  components: PreviewComponent[];
  diff: { text: string } | null;
  lint: Finding[];
  authorKeyId: string | null;
  reviewerKeyId: string | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  submittedByKeyId: string | null;
  submittedAt: string | null;
  acknowledgedWarnings: string[] | null;
  providerReason: string | null;
  createdAt: string;
}

export interface TemplateView {
  template: Template;
  liveVersion: Version | null;
  latestVersion: Version;
  statusHistory: Array<{ status: string; reason: string | null; source: string; at: string }>;
}

export interface Matrix {
  requiredLanguages: string[];
  fallbackLanguage: string | null;
  templates: Array<{ wabaId: string; name: string; category: string; languages: Array<{ language: string; templateId: string; status: string; sendable: boolean }>; missing: string[]; notSendable: string[] }>;
}

/** What a template is written as: Meta's create body without the WABA. */
export interface TemplateContent {
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: PreviewComponent[];
}

export const templateKeys = {
  list: ['templates', 'list'] as const,
  matrix: ['templates', 'matrix'] as const,
  one: (id: string) => ['templates', 'one', id] as const,
  versions: (id: string) => ['templates', 'versions', id] as const,
};

export async function listTemplates(): Promise<Template[]> {
  const all: Template[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: Template[]; nextCursor: string | null } = await api(`/v1/templates?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && all.length < 2000);
  return all;
}

export const lintContent = (name: string, language: string, content: TemplateContent) =>
  api<{ ok: boolean; findings: Finding[] }>('/v1/templates/lint', { method: 'POST', body: { name, language, category: content.category, parameter_format: content.parameterFormat, components: content.components } });
