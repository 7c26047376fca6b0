import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FLOW } from './demo-flow.js';
import { validateFlow } from './validate-flow.js';
import { simulate } from './simulate.js';

describe('the demo flow', () => {
  it('is valid, so the demo workspace can publish it', () => {
    assert.deepEqual(validateFlow(DEMO_FLOW), []);
  });

  it('answers a customer who tracks an order, mistypes it once, then asks for a person', () => {
    const script = [
      'customer: hello',
      'bot: What can I do for you?',
      'customer taps: order',
      'bot: What is your order number?',
      'customer: my order',
      'bot: An order number has 4 to 10 digits',
      'customer: 12345',
      'expect var order = "12345"',
      'bot: Order 12345 is on its way',
      'bot: Anything else?',
      'customer taps: person',
      'bot: A person will answer you here shortly',
      'expect handoff: flow',
    ].join('\n');
    const result = simulate(DEMO_FLOW, script, { now: '2026-12-07T10:00:00Z' });
    assert.ok(result.ok);
    assert.deepEqual(result.failures, [], result.transcript.join('\n'));
  });

  it('speaks Portuguese to a customer whose language is Portuguese, and says goodbye when done', () => {
    const script = ['language: pt_BR', 'customer: oi', 'bot: Como posso ajudar?', 'customer taps: hours', 'bot: Atendemos todos os dias', 'customer taps: done', 'bot: Até logo', 'expect resolved'].join('\n');
    const result = simulate(DEMO_FLOW, script, { now: '2026-12-07T10:00:00Z' });
    assert.ok(result.ok);
    assert.deepEqual(result.failures, [], result.transcript.join('\n'));
  });
});
