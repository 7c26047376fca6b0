import { isRecord, type TemplateBody, type TemplateComponent } from '../template-text/template-shape.js';

const upper = (value: unknown): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

/**
 * The body with Meta's enum values upper-cased: category, parameter format, component types, header
 * formats, button types and OTP types. The Graph API takes them in either case, and Meta's own
 * examples write them in lower case (`"category": "utility"`, `{ "type": "body" }`), so lint reads both
 * spellings as one. Only those values change; texts, examples and the shape (hence every JSON pointer a
 * finding names) stay as written. Malformed parts are copied as they are, for the rules to report.
 * Authoring stores components in this form too, so rendering (which compares upper-case values) sees a
 * lower-case `"type": "url"` button as the URL button it is.
 */
export function canonicalCase(template: TemplateBody): TemplateBody {
  if (!isRecord(template)) return template;
  const body: Record<string, unknown> = { ...template };
  if ('category' in body) body.category = upper(body.category);
  if ('parameter_format' in body) body.parameter_format = upper(body.parameter_format);
  if (Array.isArray(body.components)) {
    body.components = body.components.map((component: unknown) => {
      if (!isRecord(component)) return component;
      const out: Record<string, unknown> = { ...component, type: upper(component.type) };
      if ('format' in component) out.format = upper(component.format);
      if (Array.isArray(component.buttons)) {
        out.buttons = component.buttons.map((button: unknown) => {
          if (!isRecord(button)) return button;
          const b: Record<string, unknown> = { ...button, type: upper(button.type) };
          if ('otp_type' in button) b.otp_type = upper(button.otp_type);
          return b;
        });
      }
      return out;
    });
  }
  return body as unknown as TemplateBody;
}

/** `canonicalCase` for a component list (what a version stores). */
export const canonicalComponents = (components: TemplateComponent[]): TemplateComponent[] =>
  Array.isArray(components) ? (canonicalCase({ components } as TemplateBody).components as TemplateComponent[]) : components;
