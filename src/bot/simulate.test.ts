import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowDefinition } from './flow-schema.js';
import { simulate, type SimulationResult } from './simulate.js';
import { parseScript } from './simulate-script.js';
import { validateFlow } from './validate-flow.js';

const FLOW: FlowDefinition = {
  name: 'shop',
  defaultLanguage: 'en',
  start: 'menu',
  handoff: { outsideBusinessHours: true, outsideHoursMessage: 'We are closed; someone answers {{opensAt}}.' },
  nodes: {
    menu: {
      type: 'menu',
      text: { en: 'Hi {{contact.name}}, how can we help?', pt: 'Olá {{contact.name}}, como podemos ajudar?' },
      options: [
        { id: 'order', title: { en: 'Order status', pt: 'Meu pedido' }, next: 'ask_order' },
        { id: 'visit', title: 'Book a visit', next: 'ask_date' },
        { id: 'where', title: 'Share location', next: 'ask_place' },
      ],
    },
    ask_order: { type: 'collect', field: 'order', prompt: 'Your order number?', validator: { kind: 'regex', pattern: '^\\d{4}$' }, next: 'lookup' },
    lookup: { type: 'webhook', url: 'https://shop.example.com/orders', body: { order: '{{vars.order}}' }, map: { status: 'status' }, next: 'answer', onError: 'sorry' },
    answer: { type: 'set', addTags: ['asked-status'], next: 'say' },
    say: { type: 'resolve', message: { text: 'Order {{vars.order}} is {{vars.status}}.' } },
    sorry: { type: 'handoff', reason: 'order lookup failed', message: { text: 'Let me get a colleague.' } },
    ask_date: { type: 'collect', field: 'date', prompt: 'Which day?', validator: { kind: 'date', future: true }, next: 'booked' },
    booked: { type: 'resolve', message: { text: 'Booked for {{vars.date}}.' } },
    ask_place: { type: 'collect', field: 'place', prompt: 'Share your location, please.', validator: { kind: 'location' }, next: 'thanks' },
    thanks: { type: 'resolve', message: { text: 'Thanks!' } },
  },
};

const NOW = '2026-12-07T10:00:00Z';
const run = (script: string): Extract<SimulationResult, { ok: true }> => {
  const result = simulate(FLOW, script, { now: NOW, contact: { name: 'Ana' } });
  assert.ok(result.ok, JSON.stringify(result));
  return result;
};

describe('simulate: a scripted dialogue against a flow', () => {
  it('the test flow is valid', () => {
    assert.deepEqual(validateFlow(FLOW), []);
  });

  it('plays a dialogue with a webhook answer: the transcript shows who said what and the effects, and the expectations hold', () => {
    const r = run(`
# the customer writes first
customer: hi
bot: how can we help?
customer taps: order
bot: order number
customer: 1234
webhook lookup: {"status": "shipped"}
bot: Order 1234 is shipped
expect var status = shipped
expect var order = 1234
expect resolved
`);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.transcript, [
      'customer: hi',
      'bot: Hi Ana, how can we help?',
      '     [Order status] (order)  [Book a visit] (visit)  [Share location] (where)',
      'customer taps: [Order status] (order)',
      'bot: Your order number?',
      'customer: 1234',
      '[webhook lookup → POST https://shop.example.com/orders {"order":"1234"}]',
      '[webhook lookup ← {"status": "shipped"}]',
      '[contact: tag +asked-status]',
      'bot: Order 1234 is shipped.',
      '[resolved]',
    ]);
    assert.deepEqual(r.finalContact.tags, ['asked-status']);
    assert.equal(r.finalSession.status, 'ended');
  });

  it('a failed expectation is reported with its line, and the rest of the script still plays', () => {
    const r = run(['customer: hi', 'bot: Welcome to the shop', 'customer taps: visit', 'bot: which day', 'expect resolved'].join('\n'));
    assert.deepEqual(r.failures.map((f) => f.line), [2, 5]);
    assert.match(r.failures[0]!.message, /Expected the bot to say "Welcome to the shop"; it said "Hi Ana, how can we help\?/);
    assert.match(r.failures[1]!.message, /waits for the customer at ask_date/);
    assert.ok(r.transcript.includes('✗ line 2: ' + r.failures[0]!.message), 'the failure stands in the transcript where it happened');
  });

  it('a webhook timeout takes the error branch; a webhook left unanswered before the customer speaks is a failure', () => {
    const timeout = run('customer: hi\ncustomer taps: order\ncustomer: 1234\nwebhook lookup: timeout\nbot: colleague\nexpect handoff: order lookup failed');
    assert.deepEqual(timeout.failures, []);
    assert.ok(timeout.transcript.includes('[hand-off: flow – order lookup failed]'));
    const unanswered = run('customer: hi\ncustomer taps: order\ncustomer: 1234\ncustomer: hello?');
    assert.deepEqual(unanswered.failures.map((f) => f.line), [4, 3]);
    assert.match(unanswered.failures[0]!.message, /still waiting for webhook lookup \(called after line 3\)/);
    assert.match(unanswered.failures[1]!.message, /never answers it/);
  });

  it('the fake clock decides "today" for dates in the future; wait moves it', () => {
    const ok = run('start: 2026-12-07T09:00:00Z\ncustomer: hi\ncustomer taps: visit\ncustomer: 08/12/2026\nexpect var date = 2026-12-08');
    assert.deepEqual(ok.failures, []);
    const late = run('start: 2026-12-07T09:00:00Z\ncustomer: hi\ncustomer taps: visit\nwait 2d\ncustomer: 08/12/2026\nbot: Which day?');
    assert.deepEqual(late.failures, []);
    assert.ok(late.transcript.includes('[wait 2d: 2026-12-09 09:00 UTC]'));
  });

  it('header lines set the contact and the hours: language picks the translation, closed hands off at once', () => {
    const pt = run('language: pt_BR\nname: João\nbot: Olá João, como podemos ajudar?\ncustomer taps: order');
    assert.deepEqual(pt.failures, []);
    assert.ok(pt.transcript.includes('customer taps: [Meu pedido] (order)'));
    const closed = run('hours: closed until tomorrow 09:00\ncustomer: hi\nbot: someone answers tomorrow 09:00\nexpect handoff: outside_business_hours');
    assert.deepEqual(closed.failures, []);
  });

  it('a shared location and a photo are answers a collect node can take; a tap on no menu is a failure', () => {
    const r = run('customer: hi\ncustomer taps: where\ncustomer sends: image\nbot: Share your location\ncustomer sends: location 38.7,-9.1 Home\nexpect var place = {"latitude":38.7,"longitude":-9.1,"name":"Home"}\ncustomer taps: order');
    assert.deepEqual(r.failures.map((f) => f.line), [7]);
    assert.match(r.failures[0]!.message, /no menu is shown \(it was resolved\)/);
  });

  it('a malformed script is not played: every error with its line', () => {
    const result = simulate(FLOW, 'customer: hi\nlanguage: pt\ncustomer said: hello\nwait soon\nwebhook lookup: {oops\nexpect nothing\ncountry: XX', { now: NOW });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.scriptErrors.map((e) => e.line), [2, 3, 4, 5, 6, 7]);
    assert.deepEqual(parseScript('# only a comment\n').errors, [{ line: 1, message: 'The script has no dialogue: write at least one customer: or bot: line.' }]);
  });
});
