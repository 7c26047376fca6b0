import type { CountryCode } from 'libphonenumber-js';
import { isDeepStrictEqual } from 'node:util';
import { newSession, step, type BotEffect, type BotFacts, type BotInput, type BotSession } from './engine.js';
import type { FlowDefinition } from './flow-schema.js';
import { translate } from './render.js';
import { parseScript, type Script, type ScriptError, type ScriptStep } from './simulate-script.js';
import { effectLine, messageLines, messageText } from './simulate-transcript.js';

/**
 * Plays a dialogue script (`simulate-script.ts` describes the format) against a flow with the real
 * engine and a fake clock, pure: no I/O, no real time, so the CLI (`parley flows test`) and the API can
 * both use it. The business webhooks the bot calls are answered by the script's `webhook` lines; the
 * contact changes the bot makes are applied to the simulated contact, so later branches see them.
 *
 * When the conversation starts: a script whose first dialogue line is the customer's opens with that
 * message (it starts the flow and is not an answer to the start node's question), as when a customer
 * writes first; a script that begins otherwise has the bot start on its own, as after a business's
 * template. Expectations are checked where they stand: `bot:` takes the next bot message not yet
 * checked (messages left unchecked when the customer speaks again are skipped) and passes when it
 * contains the text (case and runs of spaces aside).
 */
export interface SimulationOptions {
  /** The fake clock's start (ISO date-time), unless the script's `start:` header sets it. */
  now: string;
  /** The contact before the conversation; the script's headers override each field. */
  contact?: Partial<BotFacts['contact']>;
  /** Business hours when the conversation starts (default: open); the `hours:` header overrides. */
  businessHours?: BotFacts['businessHours'];
  /** The workspace's time zone, for "today" (default UTC); the `timezone:` header overrides. */
  timeZone?: string;
}

export interface SimulationFailure {
  line: number;
  message: string;
}

export type SimulationResult =
  | { ok: false; scriptErrors: ScriptError[] }
  | {
      ok: true;
      transcript: string[];
      /** Expectations that did not hold, and script lines that could not be played (a tap with no menu shown, a webhook never answered). */
      failures: SimulationFailure[];
      finalSession: BotSession;
      /** The contact after the bot's changes. */
      finalContact: BotFacts['contact'];
    };

/** Parses and plays a script; a script with errors is not played (`scriptErrors`, each with its line). */
export function simulate(flow: FlowDefinition, scriptText: string, options: SimulationOptions): SimulationResult {
  const { script, errors } = parseScript(scriptText);
  if (errors.length > 0) return { ok: false, scriptErrors: errors };
  return { ok: true, ...play(flow, script, options) };
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** `YYYY-MM-DD` of an instant in a time zone. */
function dateIn(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

function timeIn(ms: number, timeZone: string): string {
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
  return `${dateIn(ms, timeZone)} ${hm} ${timeZone}`;
}

/** The expected value as written: JSON when it parses, else the text itself. */
function expectedValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function varHolds(actual: unknown, written: string): boolean {
  if (typeof actual === 'string') return actual === written || actual === expectedValue(written);
  return isDeepStrictEqual(actual, expectedValue(written));
}

type Outcome = { kind: 'handoff'; reason: string; detail: string } | { kind: 'resolved' };

/** Plays a parsed script. */
export function play(flow: FlowDefinition, script: Script, options: SimulationOptions): Omit<Extract<SimulationResult, { ok: true }>, 'ok'> {
  const h = script.header;
  const timeZone = h.timeZone ?? options.timeZone ?? 'UTC';
  let clock = Date.parse(h.start ?? options.now);
  if (Number.isNaN(clock)) throw new TypeError(`simulate: options.now is not a date-time: ${options.now}`);
  const base = options.contact ?? {};
  const contact: BotFacts['contact'] = {
    name: h.name ?? base.name ?? null,
    language: h.language ?? base.language ?? null,
    tags: [...(h.tags ?? base.tags ?? [])],
    attributes: { ...(base.attributes ?? {}), ...(h.attributes ?? {}) },
    country: (h.country ?? base.country ?? null) as CountryCode | null,
  };
  const hours = h.hours ?? options.businessHours ?? { open: true, opensAt: null };

  const transcript: string[] = [];
  const failures: SimulationFailure[] = [];
  /** Bot messages not yet checked by a `bot:` line. */
  let unchecked: string[] = [];
  let session = newSession(flow);
  let started = false;
  let outcome: Outcome | null = null;
  /** The line after which the bot called the webhook it waits for. */
  let webhookCalledAt = 0;

  const fail = (line: number, message: string) => {
    failures.push({ line, message });
    transcript.push(`✗ line ${line}: ${message}`);
  };
  const facts = (): BotFacts => ({ contact: { ...contact, tags: [...contact.tags], attributes: { ...contact.attributes } }, businessHours: hours, today: dateIn(clock, timeZone) });
  const record = (effect: BotEffect) => {
    if (effect.type === 'send') {
      const lines = messageLines(effect.message);
      transcript.push(...lines);
      unchecked.push(messageText(lines));
      return;
    }
    transcript.push(effectLine(effect));
    if (effect.type === 'set_contact') {
      contact.tags = [...contact.tags.filter((t) => !effect.removeTags.includes(t)), ...effect.addTags.filter((t) => !contact.tags.includes(t))];
      Object.assign(contact.attributes, effect.attributes);
    }
    if (effect.type === 'handoff') outcome = { kind: 'handoff', reason: effect.reason, detail: effect.detail };
    if (effect.type === 'resolve') outcome = { kind: 'resolved' };
  };
  const apply = (input: BotInput, line: number) => {
    const result = step(flow, session, input, facts());
    session = result.session;
    for (const effect of result.effects) record(effect);
    if (result.effects.some((e) => e.type === 'webhook')) webhookCalledAt = line;
  };
  const start = (line: number) => {
    if (started) return;
    started = true;
    apply({ kind: 'start' }, line);
  };
  const where = () => (outcome?.kind === 'handoff' ? `it was handed off (${outcome.reason}: ${outcome.detail})` : outcome?.kind === 'resolved' ? 'it was resolved' : session.status === 'waiting_webhook' ? `the bot waits for webhook ${session.node}` : `the bot waits for the customer at ${session.node}`);

  const customerTurn = (s: Extract<ScriptStep, { kind: 'customer' | 'tap' }>) => {
    let input: BotInput;
    if (s.kind === 'tap') {
      const node = flow.nodes[session.node];
      const shown = started && session.status === 'waiting_customer' && node?.type === 'menu';
      const option = shown ? node.options.find((o) => o.id === s.option) : undefined;
      if (!option) {
        transcript.push(`customer taps: (${s.option})`);
        fail(s.line, shown ? `The menu at ${session.node} has no option "${s.option}"; its options are ${node.options.map((o) => o.id).join(', ')}.` : `The customer cannot tap "${s.option}": no menu is shown (${where()}).`);
        return;
      }
      const title = translate(option.title, { language: contact.language, defaultLanguage: flow.defaultLanguage });
      transcript.push(`customer taps: [${title}] (${option.id})`);
      input = { kind: 'message', answer: { kind: 'text', text: title }, choice: option.id };
    } else {
      transcript.push(s.shown);
      input = { kind: 'message', answer: s.answer };
    }
    if (session.status === 'waiting_webhook') fail(s.line, `The bot is still waiting for webhook ${session.node} (called after line ${webhookCalledAt}): answer it with "webhook ${session.node}: …" before the customer's next message.`);
    unchecked = [];
    apply(input, s.line);
  };

  const playStep = (s: ScriptStep): void => {
    switch (s.kind) {
      case 'customer':
        if (!started) {
          // The customer's first message opens the conversation.
          transcript.push(s.shown);
          start(s.line);
        } else customerTurn(s);
        return;
      case 'tap':
        customerTurn(s);
        return;
      case 'webhook': {
        start(s.line);
        if (session.status !== 'waiting_webhook') return fail(s.line, `No business webhook is waiting for an answer (${where()}).`);
        if (session.node !== s.node) return fail(s.line, `The bot waits for webhook ${session.node}, not ${s.node}.`);
        transcript.push(`[webhook ${s.node} ← ${s.shown}]`);
        apply({ kind: 'webhook', result: s.result }, s.line);
        return;
      }
      case 'wait':
        clock += s.ms;
        transcript.push(`[wait ${s.shown}: ${timeIn(clock, timeZone)}]`);
        return;
      case 'expect_bot': {
        start(s.line);
        const said = unchecked.shift();
        if (said === undefined) return fail(s.line, `Expected the bot to say "${s.text}", but it said nothing more (${where()}).`);
        if (!normalize(said).includes(normalize(s.text))) fail(s.line, `Expected the bot to say "${s.text}"; it said "${said.replace(/\n/g, ' / ')}".`);
        return;
      }
      case 'expect_handoff': {
        start(s.line);
        const o = outcome as Outcome | null;
        if (o?.kind !== 'handoff') return fail(s.line, `Expected a hand-off${s.reason ? ` (${s.reason})` : ''}, but ${where()}.`);
        if (s.reason && o.reason !== s.reason && !normalize(o.detail).includes(normalize(s.reason))) fail(s.line, `Expected a hand-off for "${s.reason}"; it was handed off for ${o.reason}: ${o.detail}.`);
        return;
      }
      case 'expect_resolved':
        start(s.line);
        if ((outcome as Outcome | null)?.kind !== 'resolved') fail(s.line, `Expected the conversation to be resolved, but ${where()}.`);
        return;
      case 'expect_var': {
        start(s.line);
        const actual = session.vars[s.name];
        if (actual === undefined) fail(s.line, `Expected var ${s.name} = ${s.value}, but ${s.name} is not set.`);
        else if (!varHolds(actual, s.value)) fail(s.line, `Expected var ${s.name} = ${s.value}; it is ${JSON.stringify(actual)}.`);
        return;
      }
    }
  };
  for (const s of script.steps) playStep(s);
  if (session.status === 'waiting_webhook') fail(webhookCalledAt, `The bot called webhook ${session.node} and the script never answers it: add "webhook ${session.node}: <json | timeout | garbage>".`);
  return { transcript, failures, finalSession: session, finalContact: contact };
}
