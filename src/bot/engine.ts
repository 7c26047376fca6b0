import type { CountryCode } from 'libphonenumber-js';
import type { FlowDefinition, FlowNode } from './flow-schema.js';
import { collect, matchChoice, type CustomerAnswer } from './collect-validators.js';
import { ASK_FOR_HUMAN } from './handoff-words.js';
import { matchIntent, type IntentDefinition } from './intent-match.js';
import { lookup, menuMessage, renderMessage, translate, type OutgoingMessage, type RenderScope } from './render.js';

/**
 * The bot engine, pure: a flow, a session (where the conversation is in the flow, what it collected)
 * and what happened (the conversation started, the customer wrote, a business webhook answered) give
 * the next session and the effects to carry out, in order. The engine runs from node to node until it
 * must wait: for the customer (a menu, a collect, an intent node), for a business webhook's answer, or
 * for ever (hand-off, resolution). No clock and no I/O: the caller (`bot-runner.ts`) passes the facts
 * and carries out the effects.
 */
export interface BotSession {
  node: string;
  /** What the flow collected and the webhooks answered. */
  vars: Record<string, unknown>;
  /** Consecutive messages the bot did not understand. */
  misunderstandings: number;
  /** Failed answers to the current collect node. */
  retries: number;
  /** Waiting for the customer at `node`, for a webhook's answer at `node`, or done. */
  status: 'waiting_customer' | 'waiting_webhook' | 'ended';
  /** Misunderstandings by node, for the measures. */
  missedAt: Record<string, number>;
}

export interface BotFacts {
  contact: { name: string | null; language: string | null; tags: readonly string[]; attributes: Record<string, unknown>; country: CountryCode | null };
  /** Whether the workspace is within business hours now, and when it opens next (ISO, workspace time). */
  businessHours: { open: boolean; opensAt: string | null };
  /** Today in the workspace's time zone (`YYYY-MM-DD`). */
  today: string;
}

export type BotInput =
  | { kind: 'start' }
  | { kind: 'message'; answer: CustomerAnswer; /** A tapped button's or list row's id. */ choice?: string }
  | { kind: 'webhook'; result: { ok: true; body: unknown } | { ok: false; error: string } };

export type BotEffect =
  | { type: 'send'; message: OutgoingMessage }
  | { type: 'webhook'; node: string; url: string; body: Record<string, unknown>; timeoutMs: number; retries: number }
  | { type: 'set_contact'; attributes: Record<string, unknown>; addTags: string[]; removeTags: string[] }
  | { type: 'handoff'; reason: HandoffReason; detail: string; teamId: string | null; summary: Record<string, unknown> }
  | { type: 'resolve' };

export type HandoffReason = 'asked_for_human' | 'misunderstood' | 'vip' | 'outside_business_hours' | 'flow' | 'collect_failed' | 'webhook_failed';

export interface BotStep {
  session: BotSession;
  effects: BotEffect[];
}

const MAX_STEPS = 200;
const DEFAULT_MISUNDERSTANDINGS = 2;

export function newSession(flow: FlowDefinition): BotSession {
  return { node: flow.start, vars: {}, misunderstandings: 0, retries: 0, status: 'waiting_customer', missedAt: {} };
}

const customerText = (input: BotInput): string | null => (input.kind === 'message' && input.answer.kind === 'text' ? input.answer.text : null);

function intentsOf(flow: FlowDefinition): IntentDefinition[] {
  return (flow.intents ?? []).map((i) => ({ name: i.name, phrases: i.phrases, ...(i.patterns ? { patterns: i.patterns } : {}) }));
}

/** Applies one input. On `start` the session must be new; the rules of `flow.handoff` are checked first. */
export function step(flow: FlowDefinition, session: BotSession, input: BotInput, facts: BotFacts): BotStep {
  const effects: BotEffect[] = [];
  let s: BotSession = { ...session, vars: { ...session.vars }, missedAt: { ...session.missedAt } };
  const scope: RenderScope = { vars: s.vars, contact: facts.contact, language: facts.contact.language, defaultLanguage: flow.defaultLanguage };
  const rules = flow.handoff ?? {};
  const handoff = (reason: HandoffReason, detail: string, teamId?: string | null): BotStep => {
    effects.push({ type: 'handoff', reason, detail, teamId: teamId ?? rules.teamId ?? null, summary: { ...s.vars } });
    return { session: { ...s, status: 'ended' }, effects };
  };

  if (s.status === 'ended') return { session: s, effects };

  if (input.kind === 'start') {
    if (rules.vipTags?.some((t) => facts.contact.tags.includes(t))) return handoff('vip', 'the contact has a VIP tag');
    if (rules.outsideBusinessHours && !facts.businessHours.open) {
      const text = rules.outsideHoursMessage ? translate(rules.outsideHoursMessage, scope) : null;
      if (text) effects.push({ type: 'send', message: { type: 'text', text: { body: text.replace(/\{\{\s*opensAt\s*\}\}/g, facts.businessHours.opensAt ?? '') } } });
      return handoff('outside_business_hours', `closed until ${facts.businessHours.opensAt ?? 'further notice'}`);
    }
    return run(flow, { ...s, node: flow.start }, effects, facts, scope);
  }

  if (input.kind === 'message') {
    const text = customerText(input);
    if (text !== null && !input.choice) {
      const asked = matchIntent(text, [{ name: 'human', phrases: rules.askForHuman ?? ASK_FOR_HUMAN }], { language: facts.contact.language, defaultLanguage: flow.defaultLanguage, ownLanguagesOnly: true });
      if (asked) return handoff('asked_for_human', `the customer asked for a person ("${asked.by}")`);
    }
    if (s.status !== 'waiting_customer') return { session: s, effects };
    scope.lastText = text;
    const node = flow.nodes[s.node]!;
    const outcome = answer(flow, node, s, input, facts);
    if (outcome.kind === 'next') {
      s = { ...outcome.session, misunderstandings: 0, retries: 0 };
      return run(flow, { ...s, node: outcome.next }, effects, facts, { ...scope, vars: s.vars });
    }
    if (outcome.kind === 'retry') {
      s = { ...s, retries: s.retries + 1 };
      effects.push({ type: 'send', message: renderMessage({ text: outcome.prompt }, scope) });
      return { session: s, effects };
    }
    if (outcome.kind === 'collect_failed') {
      s = { ...s, retries: 0 };
      return outcome.onFail ? run(flow, { ...s, node: outcome.onFail }, effects, facts, scope) : handoff('collect_failed', `no valid answer at ${s.node}`);
    }
    // Not understood.
    s = { ...s, misunderstandings: s.misunderstandings + 1, missedAt: { ...s.missedAt, [s.node]: (s.missedAt[s.node] ?? 0) + 1 } };
    if (s.misunderstandings >= (rules.misunderstandings ?? DEFAULT_MISUNDERSTANDINGS)) return handoff('misunderstood', `${s.misunderstandings} messages in a row not understood`);
    if (outcome.otherwise) return run(flow, { ...s, node: outcome.otherwise }, effects, facts, scope);
    // Ask again: the node's own message.
    effects.push(...promptOf(node, scope));
    return { session: s, effects };
  }

  // A webhook answered.
  if (s.status !== 'waiting_webhook') return { session: s, effects };
  const node = flow.nodes[s.node];
  if (!node || node.type !== 'webhook') return { session: s, effects };
  const mapped = input.result.ok ? mapResponse(input.result.body, node.map ?? {}) : null;
  if (!mapped) return run(flow, { ...s, node: node.onError }, effects, facts, scope);
  Object.assign(s.vars, mapped);
  return run(flow, { ...s, node: node.next }, effects, facts, { ...scope, vars: s.vars });
}

type Answered =
  | { kind: 'next'; next: string; session: BotSession }
  | { kind: 'retry'; prompt: string | Record<string, string> }
  | { kind: 'collect_failed'; onFail: string | undefined }
  | { kind: 'missed'; otherwise: string | undefined };

function answer(flow: FlowDefinition, node: FlowNode, s: BotSession, input: Extract<BotInput, { kind: 'message' }>, facts: BotFacts): Answered {
  const text = input.answer.kind === 'text' ? input.answer.text : null;
  switch (node.type) {
    case 'menu': {
      const byId = input.choice ? node.options.find((o) => o.id === input.choice) : undefined;
      if (byId) return { kind: 'next', next: byId.next, session: s };
      if (text !== null) {
        // A typed answer: the option's number, or its title in any language.
        const n = Number(text.trim());
        if (Number.isInteger(n) && n >= 1 && n <= node.options.length) return { kind: 'next', next: node.options[n - 1]!.next, session: s };
        const titles = node.options.flatMap((o) => (typeof o.title === 'string' ? [o.title] : Object.values(o.title)).map((t) => ({ t, next: o.next })));
        const picked = matchChoice(text, titles.map((x) => x.t));
        if (picked !== null) return { kind: 'next', next: titles.find((x) => x.t === picked)!.next, session: s };
      }
      return { kind: 'missed', otherwise: node.otherwise };
    }
    case 'collect': {
      const result = collect(node.validator, input.answer, { country: facts.contact.country, today: facts.today });
      if (result.ok) return { kind: 'next', next: node.next, session: { ...s, vars: { ...s.vars, [node.field]: result.value } } };
      if (s.retries + 1 > (node.retries ?? 2)) return { kind: 'collect_failed', onFail: node.onFail };
      return { kind: 'retry', prompt: node.retryPrompt ?? node.prompt };
    }
    case 'intent': {
      const m = text === null ? null : matchIntent(text, intentsOf(flow).filter((i) => i.name in node.routes), { language: facts.contact.language, defaultLanguage: flow.defaultLanguage, ...(flow.synonyms ? { synonyms: flow.synonyms } : {}) });
      if (m) return { kind: 'next', next: node.routes[m.intent]!, session: { ...s, vars: { ...s.vars, lastIntent: m.intent } } };
      return { kind: 'missed', otherwise: node.otherwise };
    }
    default:
      return { kind: 'missed', otherwise: undefined };
  }
}

/** What a waiting node says when the conversation reaches it (and again after a misunderstanding). */
function promptOf(node: FlowNode, scope: RenderScope): BotEffect[] {
  if (node.type === 'menu') return [{ type: 'send', message: menuMessage(node, scope) }];
  if (node.type === 'collect') return [{ type: 'send', message: renderMessage({ text: node.prompt }, scope) }];
  if (node.type === 'intent' && node.prompt) return [{ type: 'send', message: renderMessage({ text: node.prompt }, scope) }];
  return [];
}

/** Runs from `s.node` until the flow must wait. */
function run(flow: FlowDefinition, start: BotSession, effects: BotEffect[], facts: BotFacts, scope: RenderScope): BotStep {
  let s = start;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const node = flow.nodes[s.node];
    if (!node) return { session: { ...s, status: 'ended' }, effects: [...effects, { type: 'handoff', reason: 'flow', detail: `node ${s.node} is missing`, teamId: null, summary: { ...s.vars } }] };
    const here = { ...scope, vars: s.vars };
    switch (node.type) {
      case 'send':
        effects.push({ type: 'send', message: renderMessage(node.message, here) });
        s = { ...s, node: node.next };
        continue;
      case 'set':
        effects.push({ type: 'set_contact', attributes: { ...(node.attributes ?? {}) }, addTags: [...(node.addTags ?? [])], removeTags: [...(node.removeTags ?? [])] });
        s = { ...s, node: node.next };
        continue;
      case 'branch': {
        const hit = node.cases.find((c) => c.when.every((cond) => holds(cond, here, facts)));
        s = { ...s, node: hit ? hit.next : node.otherwise };
        continue;
      }
      case 'faq': {
        const last = scope.lastText ?? null;
        const entry = last === null ? undefined : node.entries.find((e) => matchIntent(last, intentsOf(flow).filter((i) => i.name === e.intent), { language: facts.contact.language, defaultLanguage: flow.defaultLanguage }));
        if (entry) {
          effects.push({ type: 'send', message: renderMessage(entry.answer, here) });
          s = { ...s, node: node.next };
        } else s = { ...s, node: node.otherwise ?? node.next };
        continue;
      }
      case 'webhook':
        effects.push({ type: 'webhook', node: s.node, url: node.url, body: fill(node.body ?? {}, here), timeoutMs: node.timeoutMs ?? 5000, retries: node.retries ?? 1 });
        return { session: { ...s, status: 'waiting_webhook' }, effects };
      case 'handoff':
        if (node.message) effects.push({ type: 'send', message: renderMessage(node.message, here) });
        effects.push({ type: 'handoff', reason: 'flow', detail: node.reason, teamId: node.teamId ?? flow.handoff?.teamId ?? null, summary: { ...s.vars } });
        return { session: { ...s, status: 'ended' }, effects };
      case 'resolve':
        if (node.message) effects.push({ type: 'send', message: renderMessage(node.message, here) });
        effects.push({ type: 'resolve' });
        return { session: { ...s, status: 'ended' }, effects };
      case 'menu':
      case 'collect':
      case 'intent':
        effects.push(...promptOf(node, here));
        return { session: { ...s, status: 'waiting_customer', retries: 0 }, effects };
    }
  }
  // Validation refuses loops without a customer turn; a flow that still spins is handed to people.
  return { session: { ...s, status: 'ended' }, effects: [...effects, { type: 'handoff', reason: 'flow', detail: 'the flow ran too many steps without waiting', teamId: null, summary: { ...s.vars } }] };
}

function holds(cond: { var: string; op: string; value?: unknown }, scope: RenderScope, _facts: BotFacts): boolean {
  const v = lookup(cond.var, scope);
  switch (cond.op) {
    case 'exists':
      return v !== undefined && v !== null && v !== '';
    case 'eq':
      return v === cond.value || (typeof v === 'string' && typeof cond.value === 'string' && v.toLowerCase() === cond.value.toLowerCase());
    case 'ne':
      return !holds({ ...cond, op: 'eq' }, scope, _facts);
    case 'gt':
      return typeof v === 'number' && typeof cond.value === 'number' && v > cond.value;
    case 'lt':
      return typeof v === 'number' && typeof cond.value === 'number' && v < cond.value;
    case 'contains':
      return Array.isArray(v) ? v.includes(cond.value) : typeof v === 'string' && typeof cond.value === 'string' && v.toLowerCase().includes(cond.value.toLowerCase());
    case 'in':
      return Array.isArray(cond.value) && cond.value.includes(v);
    default:
      return false;
  }
}

/** A webhook body with `{{vars.x}}` placeholders filled; a string that is one placeholder keeps the value's type. */
function fill(body: Record<string, unknown>, scope: RenderScope): Record<string, unknown> {
  const one = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
      if (whole) return lookup(whole[1]!, scope) ?? null;
      return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => String(lookup(path, scope) ?? ''));
    }
    if (Array.isArray(value)) return value.map(one);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(v)]));
    return value;
  };
  return one(body) as Record<string, unknown>;
}

/**
 * A webhook's answer into variables: each mapped path must be present (a scalar), or the answer counts
 * as a failure and the node's `onError` branch is taken.
 */
export function mapResponse(body: unknown, map: Record<string, string>): Record<string, unknown> | null {
  if (body === null || typeof body !== 'object') return Object.keys(map).length === 0 ? {} : null;
  const out: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(map)) {
    let value: unknown = body;
    for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined || value === null || typeof value === 'object') return null;
    out[name] = value;
  }
  return out;
}
