import { newGraphId } from '../../shared/ids.js';
import type { EmulatorConfig, Template } from '../../types.js';

export function templateFromConfig(t: EmulatorConfig['templates'][number], now: number): Template {
  return {
    id: t.id ?? newGraphId(),
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    quality: t.quality,
    parameterFormat: t.parameterFormat,
    components: structuredClone(t.components),
    createdAt: now,
  };
}

/** The template as `GET /{waba_id}/message_templates` lists it. */
export function templateResource(t: Template): Record<string, unknown> {
  return { name: t.name, parameter_format: t.parameterFormat, components: t.components, language: t.language, status: t.status, category: t.category, id: t.id };
}
