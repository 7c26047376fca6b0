import type { UsableTemplate } from '../../conversations/ports.js';
import { expectedParameters } from '../../template-text/expected-parameters.js';
import type { RenderableTemplate } from '../../template-text/params.js';
import { findComponent, type TemplateComponent } from '../../template-text/template-shape.js';
import { baseLanguage, normalizeLanguage } from '../language.js';

/**
 * The templates a person may choose from when the service window is closed (`conversations/` asks,
 * through its `UsableTemplates` port): pure parts. `usable-templates.ts` loads the facts.
 */

/**
 * Orders templates for a contact's language: those in exactly that language, else those of its base
 * language (`pt` and every `pt_*` for `pt_BR`), else, so a person is never left without a choice, every
 * one (and every one when the language is unknown). Within a group by name, then language.
 */
export function forLanguage<T extends { name: string; language: string }>(templates: readonly T[], language: string | null): T[] {
  const sorted = [...templates].sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
  const code = normalizeLanguage(language);
  if (!code) return sorted;
  const exact = sorted.filter((t) => normalizeLanguage(t.language) === code);
  if (exact.length) return exact;
  const base = baseLanguage(code);
  const sameBase = sorted.filter((t) => baseLanguage(normalizeLanguage(t.language) ?? t.language) === base);
  return sameBase.length ? sameBase : sorted;
}

/** The parameters a send of this template must give, per component, with the template's example value when it has one. */
export function parametersOf(template: RenderableTemplate): UsableTemplate['parameters'] {
  const components = template.components as TemplateComponent[];
  const expected = expectedParameters(template);
  const header = findComponent(components, 'HEADER');
  const body = findComponent(components, 'BODY');
  const out: UsableTemplate['parameters'] = [];
  const example = (named: Array<{ param_name: string; example: string }> | undefined, positional: string[] | undefined, key: string, index: number): string | null =>
    named?.find((n) => n.param_name === key)?.example ?? positional?.[index] ?? null;
  if (expected.header.kind === 'text') out.push({ component: 'header', name: expected.header.key, example: example(header?.example?.header_text_named_params, header?.example?.header_text, expected.header.key, 0) });
  else if (expected.header.kind === 'media') out.push({ component: 'header', name: expected.header.format.toLowerCase(), example: null });
  else if (expected.header.kind === 'location') out.push({ component: 'header', name: 'location', example: null });
  expected.body.forEach((key, i) => out.push({ component: 'body', name: key, example: example(body?.example?.body_text_named_params, body?.example?.body_text?.[0], key, i) }));
  for (const b of expected.buttons) if (b.required) out.push({ component: `button:${b.index}`, name: b.kind, example: null });
  return out;
}

/** The body's text with its placeholders, as a person choosing a template reads it. */
export function bodyTextOf(template: RenderableTemplate): string | null {
  return findComponent(template.components as TemplateComponent[], 'BODY')?.text ?? null;
}
