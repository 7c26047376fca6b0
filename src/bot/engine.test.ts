import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newSession, step, type BotEffect, type BotFacts, type BotInput, type BotSession } from './engine.js';
import type { FlowDefinition } from './flow-schema.js';
import { validateFlow } from './validate-flow.js';

const FLOW: FlowDefinition = {
  name: 'support',
  defaultLanguage: 'en',
  start: 'hello',
  intents: [
    { name: 'order_status', phrases: { en: ['order status', 'where is my order'], pt: ['status do pedido', 'onde está meu pedido'], es: ['estado del pedido', 'dónde está mi pedido'] } },
    { name: 'hours', phrases: { en: ['opening hours', 'when are you open'], pt: ['horário'], es: ['horario'] } },
  ],
  handoff: { vipTags: ['vip'], misunderstandings: 2, outsideBusinessHours: true, outsideHoursMessage: { en: 'We are closed; someone answers at {{opensAt}}.', pt: 'Estamos fechados; alguém responde às {{opensAt}}.' } },
  nodes: {
    hello: { type: 'send', message: { text: { en: 'Hi {{contact.name}}!', pt: 'Olá {{contact.name}}!' } }, next: 'menu' },
    menu: {
      type: 'menu',
      text: { en: 'How can we help?', pt: 'Como podemos ajudar?' },
      button: { en: 'Options', pt: 'Opções' },
      style: 'list',
      options: [
        { id: 'status', title: { en: 'Order status', pt: 'Status do pedido' }, next: 'ask_order' },
        { id: 'faq', title: { en: 'Questions', pt: 'Dúvidas' }, next: 'ask_question' },
        { id: 'bye', title: { en: 'Nothing', pt: 'Nada' }, next: 'done' },
      ],
    },
    ask_order: { type: 'collect', field: 'order', prompt: 'Your 6-digit order number?', retryPrompt: 'Six digits, please.', validator: { kind: 'regex', pattern: '^\\d{6}$' }, retries: 1, next: 'lookup', onFail: 'menu' },
    lookup: { type: 'webhook', url: 'https://shop.example/orders', body: { order: '{{vars.order}}' }, map: { status: 'order.status' }, next: 'vip_check', onError: 'sorry' },
    vip_check: { type: 'branch', cases: [{ when: [{ var: 'vars.status', op: 'eq', value: 'delayed' }], next: 'tag_delayed' }], otherwise: 'answer' },
    tag_delayed: { type: 'set', addTags: ['delayed-order'], attributes: { lastOrder: 'x' }, next: 'answer' },
    answer: { type: 'send', message: { text: 'Order {{vars.order}} is {{vars.status}}.' }, next: 'menu' },
    sorry: { type: 'handoff', reason: 'order lookup failed', message: { text: 'Let me get a colleague.' } },
    ask_question: { type: 'intent', prompt: 'What is your question?', routes: { hours: 'faq', order_status: 'ask_order' } },
    faq: { type: 'faq', entries: [{ intent: 'hours', answer: { text: 'We open 9 to 18.' } }], next: 'menu' },
    done: { type: 'resolve', message: { text: 'Bye!' } },
  },
};

const facts = (over: Partial<BotFacts['contact']> = {}, open = true): BotFacts => ({
  contact: { name: 'Ana', language: 'en', tags: [], attributes: {}, country: 'BR', ...over },
  businessHours: { open, opensAt: open ? null : '09:00' },
  today: '2026-12-07',
});
const text = (t: string): BotInput => ({ kind: 'message', answer: { kind: 'text', text: t } });
const tap = (id: string): BotInput => ({ kind: 'message', answer: { kind: 'text', text: '' }, choice: id });
const sent = (effects: BotEffect[]) => effects.flatMap((e) => (e.type === 'send' ? [JSON.stringify(e.message)] : []));
const handoffOf = (effects: BotEffect[]) => effects.find((e): e is Extract<BotEffect, { type: 'handoff' }> => e.type === 'handoff');

function play(inputs: BotInput[], f = facts()): { session: BotSession; effects: BotEffect[][] } {
  let session = newSession(FLOW);
  const effects: BotEffect[][] = [];
  for (const input of [{ kind: 'start' } as BotInput, ...inputs]) {
    const r = step(FLOW, session, input, f);
    session = r.session;
    effects.push(r.effects);
  }
  return { session, effects };
}

describe('the bot engine', () => {
  it('the example flow is valid', () => {
    assert.deepEqual(validateFlow(FLOW), []);
  });

  it('start: greets in the customer\'s language and shows the menu as a list', () => {
    const { session, effects } = play([], facts({ language: 'pt_BR' }));
    const [greeting, menu] = sent(effects[0]!);
    assert.match(greeting!, /Olá Ana!/);
    const list = JSON.parse(menu!);
    assert.equal(list.interactive.type, 'list');
    assert.equal(list.interactive.action.button, 'Opções');
    assert.deepEqual(list.interactive.action.sections[0].rows.map((r: { id: string; title: string }) => `${r.id}:${r.title}`), ['status:Status do pedido', 'faq:Dúvidas', 'bye:Nada']);
    assert.equal(session.status, 'waiting_customer');
    assert.equal(session.node, 'menu');
  });

  it('menu → collect (a retry, then valid) → webhook → branch → set → answer, back to the menu', () => {
    let session = play([tap('status')]).session;
    assert.equal(session.node, 'ask_order');
    let r = step(FLOW, session, text('12'), facts());
    assert.deepEqual(sent(r.effects), [JSON.stringify({ type: 'text', text: { body: 'Six digits, please.' } })]);
    r = step(FLOW, r.session, text('123456'), facts());
    const call = r.effects.find((e) => e.type === 'webhook');
    assert.deepEqual(call && { url: call.url, body: call.body }, { url: 'https://shop.example/orders', body: { order: '123456' } });
    assert.equal(r.session.status, 'waiting_webhook');
    r = step(FLOW, r.session, { kind: 'webhook', result: { ok: true, body: { order: { status: 'delayed' } } } }, facts());
    assert.deepEqual(r.effects.map((e) => e.type), ['set_contact', 'send', 'send']);
    assert.match(sent(r.effects)[0]!, /Order 123456 is delayed\./);
    session = r.session;
    assert.equal(session.node, 'menu');
    assert.deepEqual(session.vars, { order: '123456', status: 'delayed' });
  });

  it('a collect whose retries are spent takes its onFail branch', () => {
    const { session } = play([tap('status'), text('no'), text('still no')]);
    assert.equal(session.node, 'menu');
  });

  it('a webhook that fails or answers without the mapped field takes onError and the conversation continues (here: a hand-off)', () => {
    for (const result of [{ ok: false as const, error: 'timeout' }, { ok: true as const, body: 'garbage' }, { ok: true as const, body: { order: {} } }]) {
      const { session } = play([tap('status'), text('123456')]);
      const r = step(FLOW, session, { kind: 'webhook', result }, facts());
      assert.deepEqual(sent(r.effects), [JSON.stringify({ type: 'text', text: { body: 'Let me get a colleague.' } })]);
      assert.equal(handoffOf(r.effects)?.detail, 'order lookup failed');
      assert.deepEqual(handoffOf(r.effects)?.summary, { order: '123456' }, 'the agent gets what the bot collected');
    }
  });

  it('intent node and FAQ: the question is matched (with a typo) and answered', () => {
    const { effects, session } = play([tap('faq'), text('what are your openning hours?')]);
    assert.match(sent(effects[2]!)[0]!, /We open 9 to 18\./);
    assert.equal(session.node, 'menu');
  });

  it('typed menu answers: the option\'s number or its title in any language', () => {
    assert.equal(play([text('1')]).session.node, 'ask_order');
    assert.equal(play([text('status do pedido')]).session.node, 'ask_order');
  });

  it('resolve says goodbye and ends', () => {
    const { session, effects } = play([tap('bye')]);
    assert.deepEqual(effects[1]!.map((e) => e.type), ['send', 'resolve']);
    assert.equal(session.status, 'ended');
  });

  it('hand-off: the customer asks for a person, in English, Portuguese and Spanish, with accents or typos', () => {
    for (const [language, words] of [['en', 'can I talk to a humn please'], ['pt', 'quero falar com um atendênte'], ['es', 'quiero hablar con una persona']] as const) {
      const r = play([text(words)], facts({ language }));
      assert.equal(handoffOf(r.effects[1]!)?.reason, 'asked_for_human', `${language}: ${words}`);
      assert.equal(r.session.status, 'ended');
    }
  });

  it('hand-off: two misunderstandings in a row; one is forgiven when the next answer is understood', () => {
    const once = play([text('blah')]);
    assert.equal(handoffOf(once.effects[1]!), undefined);
    assert.equal(once.session.misunderstandings, 1);
    assert.equal(once.session.missedAt.menu, 1);
    const twice = play([text('blah'), text('blorp')]);
    assert.equal(handoffOf(twice.effects[2]!)?.reason, 'misunderstood');
    const forgiven = play([text('blah'), text('1'), text('xx')]);
    assert.equal(forgiven.session.misunderstandings, 0);
  });

  it('hand-off: a VIP contact at once; outside business hours with the time someone answers', () => {
    const vip = play([], facts({ tags: ['vip'] }));
    assert.equal(handoffOf(vip.effects[0]!)?.reason, 'vip');
    const closed = play([], facts({ language: 'pt' }, false));
    assert.deepEqual(sent(closed.effects[0]!), [JSON.stringify({ type: 'text', text: { body: 'Estamos fechados; alguém responde às 09:00.' } })]);
    assert.equal(handoffOf(closed.effects[0]!)?.reason, 'outside_business_hours');
  });

  it('an ended session does nothing more', () => {
    const { session } = play([tap('bye')]);
    assert.deepEqual(step(FLOW, session, text('hello?'), facts()).effects, []);
  });
});
