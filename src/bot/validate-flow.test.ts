import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateFlow, type FlowProblem } from './validate-flow.js';

const good = () => ({
  name: 'support',
  defaultLanguage: 'en',
  start: 'menu',
  intents: [{ name: 'human', phrases: { en: ['agent'] } }],
  nodes: {
    menu: {
      type: 'menu',
      text: 'How can we help?',
      button: 'Options',
      style: 'list',
      options: [
        { id: 'status', title: 'Order status', next: 'ask' },
        { id: 'agent', title: { en: 'Talk to us', pt: 'Falar conosco' }, description: 'A person answers', next: 'handoff' },
      ],
      otherwise: 'understand',
    },
    understand: { type: 'intent', routes: { human: 'handoff' }, otherwise: 'menu' },
    ask: { type: 'collect', field: 'order', prompt: 'Your order number?', validator: { kind: 'regex', pattern: '^\\d{6}$' }, next: 'lookup' },
    lookup: { type: 'webhook', url: 'https://shop.example/orders', map: { status: 'order.status' }, next: 'answer', onError: 'handoff' },
    answer: { type: 'send', message: { text: 'Your order is {{vars.status}}.' }, next: 'done' },
    done: { type: 'resolve' },
    handoff: { type: 'handoff', reason: 'asked for a person' },
  },
});

const problems = (mutate: (flow: ReturnType<typeof good>) => void): FlowProblem[] => {
  const flow = good();
  mutate(flow);
  return validateFlow(flow);
};
const one = (list: FlowProblem[], node: string | null, field: string) => {
  assert.ok(list.some((p) => p.node === node && p.field === field), `expected a problem at ${node} ${field}, got ${JSON.stringify(list)}`);
};

describe('flow validation', () => {
  it('a good flow has no problems', () => {
    assert.deepEqual(validateFlow(good()), []);
  });

  it('an unknown node type is refused, naming the node', () => {
    const list = problems((f) => Object.assign(f.nodes, { odd: { type: 'teleport', next: 'menu' } }));
    one(list, 'odd', '/nodes/odd/type');
  });

  it('a dangling edge names the node and the field', () => {
    const list = problems((f) => {
      f.nodes.answer.next = 'nowhere';
    });
    one(list, 'answer', '/nodes/answer/next');
    assert.match(list[0]!.message, /nowhere/);
  });

  it('a list with 11 rows is refused', () => {
    const list = problems((f) => {
      f.nodes.menu.options = Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, title: `Option ${i}`, next: 'handoff' }));
    });
    one(list, 'menu', '/nodes/menu/options');
  });

  it('a button title over 20 characters is refused, in any of its languages', () => {
    const list = problems((f) => {
      f.nodes.menu.style = 'buttons';
      f.nodes.menu.options = [{ id: 'a', title: { en: 'Short', pt: 'Um título comprido demais' } as never, next: 'handoff' }];
    });
    one(list, 'menu', '/nodes/menu/options/0/title/pt');
  });

  it('list rows keep to 24-character titles and 72-character descriptions, and a list needs its button', () => {
    const list = problems((f) => {
      f.nodes.menu.options[0]!.title = 'A row title that is far too long';
      (f.nodes.menu.options[1] as { description?: string }).description = 'x'.repeat(73);
      delete (f.nodes.menu as { button?: string }).button;
    });
    one(list, 'menu', '/nodes/menu/options/0/title');
    one(list, 'menu', '/nodes/menu/options/1/description');
    one(list, 'menu', '/nodes/menu/button');
  });

  it('an unreachable node is refused', () => {
    const list = problems((f) => Object.assign(f.nodes, { island: { type: 'resolve' } }));
    one(list, 'island', '/nodes/island');
  });

  it('a loop without a customer turn is refused; a loop through a menu is fine', () => {
    const list = problems((f) => {
      Object.assign(f.nodes, { a: { type: 'send', message: { text: 'a' }, next: 'b' }, b: { type: 'set', addTags: ['x'], next: 'a' } });
      f.nodes.answer.next = 'a';
    });
    one(list, 'a', '/nodes/a');
    assert.match(list.find((p) => p.node === 'a')!.message, /a → b → a/);
    // menu → understand → menu waits for the customer at the menu: allowed (the good flow has it).
  });

  it('an intent route or FAQ entry naming no intent, and a pattern that does not compile, are refused', () => {
    const list = problems((f) => {
      f.nodes.understand.routes = { refund: 'handoff' } as never;
      f.nodes.ask.validator = { kind: 'regex', pattern: '([' };
    });
    one(list, 'understand', '/nodes/understand/routes/refund');
    one(list, 'ask', '/nodes/ask/validator/pattern');
  });

  it('a collect pattern with nested quantifiers is refused, naming the node and the field', () => {
    for (const pattern of ['^(a+)+$', '(.*)*x', '^(\\w+\\s?)+$', '^(a|a)*$', '(a|aa)+b']) {
      const list = problems((f) => {
        f.nodes.ask.validator = { kind: 'regex', pattern };
      });
      one(list, 'ask', '/nodes/ask/validator/pattern');
      assert.match(list.find((p) => p.field === '/nodes/ask/validator/pattern')!.message, /exponential time/, pattern);
    }
  });

  it("an intent's catastrophic pattern is refused, naming the intent's field", () => {
    const list = problems((f) => {
      f.intents[0] = { name: 'human', phrases: { en: ['agent'] }, patterns: { en: ['\\bagent\\b', '^(\\s*agent)+$'] } } as never;
    });
    assert.deepEqual(
      list.map((p) => [p.node, p.field]),
      [[null, '/intents/0/patterns/en/1']],
    );
  });

  it('benign patterns are accepted: anchors, classes, counted repetition, alternatives that exclude one another', () => {
    for (const pattern of ['^\\d{6}$', '^[A-Z]{3}-?\\d{4}$', '^\\d{5}(?:-\\d{4}|)$', '^\\d{5}(-\\d{4})?$', '^(\\+\\d{1,3})?\\d{9}$', '^(sim|s|yes|y)$', '^(ab|cd)+$', '\\bpedido\\b', '^[^@\\s]+@[^@\\s]+$']) {
      assert.deepEqual(
        problems((f) => {
          f.nodes.ask.validator = { kind: 'regex', pattern };
          f.intents[0] = { name: 'human', phrases: { en: ['agent'] }, patterns: { en: [pattern] } } as never;
        }),
        [],
        pattern,
      );
    }
  });

  it('a shape error names the node and field', () => {
    const list = problems((f) => {
      (f.nodes.ask as { retries?: number }).retries = 99;
    });
    one(list, 'ask', '/nodes/ask/retries');
  });
});
