import type { FlowNode } from './flow-schema.js';

/**
 * What the bot says, pure: a flow's texts in the customer's language (else the flow's default, else the
 * first given), placeholders filled (`{{vars.x}}`, `{{contact.name}}`, `{{contact.attributes.x}}`), as
 * messages in the send API's shape (`POST /v1/messages` without recipient and sender).
 */
export interface RenderScope {
  vars: Record<string, unknown>;
  contact: { name: string | null; language: string | null; tags: readonly string[]; attributes: Record<string, unknown> };
  language: string | null;
  defaultLanguage: string;
  /** The customer's last message, for FAQ answers. */
  lastText?: string | null;
}

export type OutgoingMessage = { type: string } & Record<string, unknown>;

type Translatable = string | Record<string, string>;

/** The text for the customer's language: exact, its base language, the default, its base, then the first. */
export function translate(value: Translatable, scope: Pick<RenderScope, 'language' | 'defaultLanguage'>): string {
  if (typeof value === 'string') return value;
  const base = (code: string) => code.toLowerCase().split(/[-_]/)[0]!;
  const entries = Object.entries(value);
  const find = (code: string | null) => (code ? entries.find(([k]) => k.toLowerCase() === code.toLowerCase()) ?? entries.find(([k]) => base(k) === base(code)) : undefined);
  return (find(scope.language) ?? find(scope.defaultLanguage) ?? entries[0])?.[1] ?? '';
}

/** Reads `vars.x`, `contact.name`, `contact.tags`, `contact.language`, `contact.attributes.x`. */
export function lookup(path: string, scope: Pick<RenderScope, 'vars' | 'contact'>): unknown {
  const [head, ...rest] = path.split('.');
  let value: unknown = head === 'vars' ? scope.vars : head === 'contact' ? scope.contact : undefined;
  for (const part of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** Fills `{{path}}` placeholders; an unknown one becomes empty. */
export function fillText(text: string, scope: RenderScope): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const value = lookup(path, scope);
    return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
  });
}

const say = (value: Translatable, scope: RenderScope) => fillText(translate(value, scope), scope);

type BotMessageValue = { text: Translatable } | { image: { link: string; caption?: Translatable } } | { document: { link: string; filename?: string; caption?: Translatable } };

export function renderMessage(message: BotMessageValue, scope: RenderScope): OutgoingMessage {
  if ('text' in message) return { type: 'text', text: { body: say(message.text, scope) } };
  if ('image' in message) return { type: 'image', image: { link: message.image.link, ...(message.image.caption ? { caption: say(message.image.caption, scope) } : {}) } };
  return { type: 'document', document: { link: message.document.link, ...(message.document.filename ? { filename: message.document.filename } : {}), ...(message.document.caption ? { caption: say(message.document.caption, scope) } : {}) } };
}

/** A menu as WhatsApp shows it: reply buttons (up to 3) or a list (up to 10 rows), as the node says or its size decides. */
export function menuMessage(node: Extract<FlowNode, { type: 'menu' }>, scope: RenderScope): OutgoingMessage {
  const style = node.style ?? (node.options.length <= 3 ? 'buttons' : 'list');
  const body = { text: say(node.text, scope) };
  if (style === 'buttons') {
    return { type: 'interactive', interactive: { type: 'button', body, action: { buttons: node.options.map((o) => ({ type: 'reply', reply: { id: o.id, title: say(o.title, scope) } })) } } };
  }
  const rows = node.options.map((o) => ({ id: o.id, title: say(o.title, scope), ...(o.description ? { description: say(o.description, scope) } : {}) }));
  return { type: 'interactive', interactive: { type: 'list', body, action: { button: node.button ? say(node.button, scope) : 'Options', sections: [{ rows }] } } };
}
