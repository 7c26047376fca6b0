import type { EmulatorCore } from '../core.js';
import { drawFor } from '../shared/random.js';
import type { OutboundMessage, PersonaConfig } from '../types.js';
import { customerSends, type CustomerMessageInput } from './inbound-cloud.js';

/**
 * Scripted customers. When a message is delivered to a customer with a persona, the persona may answer
 * after a delay: "STOP" to a share of marketing templates, a button press (template quick reply,
 * interactive reply button or list row) to a share of messages with buttons, a text to a share of others.
 * Every choice is a pure function of (seed, customer, n-th message to that customer): the same seed
 * replays the same conversation whatever the timing of requests.
 */
export type PersonaAction =
  | { kind: 'none' }
  | { kind: 'text'; body: string; delayMs: number }
  | { kind: 'button'; payload: string; text: string; delayMs: number }
  | { kind: 'interactive'; reply: { type: 'button_reply' | 'list_reply'; id: string; title: string; description?: string }; delayMs: number };

interface Choice {
  id: string;
  title: string;
  description?: string;
}

export function personaDecides(persona: PersonaConfig, message: Pick<OutboundMessage, 'type' | 'category' | 'request'>, templateButtons: string[], draw: (what: string) => number): PersonaAction {
  const d = draw('decide');
  const [min, max] = persona.replyDelayMs;
  const delayMs = min + Math.floor(draw('delay') * (Math.max(max, min) - min + 1));
  const pick = <T>(items: T[]) => items[Math.floor(draw('pick') * items.length)];
  let threshold = 0;
  if (message.type === 'template' && message.category === 'marketing') {
    threshold = persona.stopMarketingShare;
    if (d < threshold) return { kind: 'text', body: 'STOP', delayMs };
  }
  if (message.type === 'template' && templateButtons.length) {
    threshold += persona.pressButtonShare;
    if (d < threshold) {
      const index = Math.floor(draw('pick') * templateButtons.length);
      const given = (message.request.template?.components ?? []).find((c: any) => c.type === 'button' && Number(c.index) === index)?.parameters?.[0]?.payload;
      return { kind: 'button', payload: given ?? templateButtons[index], text: templateButtons[index], delayMs };
    }
  }
  if (message.type === 'interactive') {
    const interactive = message.request.interactive ?? {};
    const choices: Choice[] =
      interactive.type === 'button'
        ? (interactive.action?.buttons ?? []).map((b: any) => ({ id: b.reply.id, title: b.reply.title }))
        : interactive.type === 'list'
          ? (interactive.action?.sections ?? []).flatMap((s: any) => s.rows.map((r: any) => ({ id: r.id, title: r.title, description: r.description })))
          : [];
    threshold += persona.pressButtonShare;
    if (choices.length && d < threshold) {
      const choice = pick(choices);
      const type = interactive.type === 'list' ? 'list_reply' : 'button_reply';
      return { kind: 'interactive', reply: { type, ...choice }, delayMs };
    }
  }
  threshold += persona.replyShare;
  if (d < threshold) return { kind: 'text', body: persona.replyText, delayMs };
  return { kind: 'none' };
}

export function personaReacts(core: EmulatorCore, message: OutboundMessage): void {
  const customer = core.state.customer(message.to);
  const name = customer?.persona ?? core.config.behaviour.defaultPersona;
  const persona = name ? core.config.personas[name] : undefined;
  if (!persona) return;
  const n = (core.state.personaCounters.get(message.to) ?? 0) + 1;
  core.state.personaCounters.set(message.to, n);
  const template = message.templateName ? core.state.templates.find((t) => t.name === message.templateName && t.language === message.request.template?.language?.code) : undefined;
  const buttons = (template?.components.find((c) => String(c.type).toUpperCase() === 'BUTTONS')?.buttons ?? []).filter((b) => String(b.type).toUpperCase() === 'QUICK_REPLY').map((b) => String(b.text));
  const action = personaDecides(persona, message, buttons, (what) => drawFor(core.seed, `${name}:${message.to}:${n}:${what}`));
  if (action.kind === 'none') return;
  const base: Omit<CustomerMessageInput, 'type'> = { phoneNumberId: message.phoneNumberId, from: message.to, contextId: message.id };
  const input: CustomerMessageInput =
    action.kind === 'text'
      ? { ...base, contextId: undefined, type: 'text', payload: { body: action.body } }
      : action.kind === 'button'
        ? { ...base, type: 'button', payload: { payload: action.payload, text: action.text } }
        : { ...base, type: 'interactive', payload: { type: action.reply.type, [action.reply.type]: { id: action.reply.id, title: action.reply.title, ...(action.reply.description ? { description: action.reply.description } : {}) } } };
  core.timers.after(action.delayMs, () => {
    customerSends(core, input);
  });
}
