import { ParleyError } from '../../errors/parley-error.js';
import { normalizeLanguage } from '../language.js';
import { lintTemplate } from '../lint/run-lint.js';
import type { Finding, LintOptions } from '../lint/types.js';
import type { Category, ParameterFormat, TemplateBody, TemplateComponent } from '../../template-text/template-shape.js';

/** Content of a version, as the API takes it (camelCase around Meta's component JSON). */
export interface VersionInput {
  category: Category;
  parameterFormat?: ParameterFormat;
  allowCategoryChange?: boolean;
  messageSendTtlSeconds?: number | null;
  components: TemplateComponent[];
}

export interface TemplateInput extends VersionInput {
  wabaId: string;
  name: string;
  language: string;
}

export function toCreateBody(identity: { name: string; language: string }, input: VersionInput): TemplateBody {
  return {
    name: identity.name,
    language: identity.language,
    category: input.category,
    ...(input.parameterFormat === 'NAMED' ? { parameter_format: 'NAMED' as const } : {}),
    ...(input.allowCategoryChange ? { allow_category_change: true } : {}),
    ...(input.messageSendTtlSeconds ? { message_send_ttl_seconds: input.messageSendTtlSeconds } : {}),
    components: input.components,
  };
}

/** Lints a version; name and language are a template's permanent identity, so errors there refuse it at once. */
export function lintVersion(identity: { name: string; language: string }, input: VersionInput, options?: LintOptions): Finding[] {
  const findings = lintTemplate(toCreateBody(identity, input), options);
  const permanent = findings.filter((f) => f.severity === 'error' && (f.path === '/name' || f.path === '/language'));
  if (permanent.length) {
    throw new ParleyError('TEMPLATE_INVALID', { message: `${permanent[0].message} ${permanent[0].fix}`, field: permanent[0].path, details: { findings: permanent } });
  }
  return findings;
}

/** `en-US` and `en_us` become Meta's `en_US`; a value that is no language code is left for lint to report. */
export const canonicalLanguage = (language: string): string => normalizeLanguage(language) ?? language;
