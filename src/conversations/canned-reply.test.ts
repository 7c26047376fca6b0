import { it } from 'node:test';
import assert from 'node:assert/strict';
import { cannedVariables, malformedVariables, renderCanned } from './canned-reply.js';

it('a canned reply is filled from its values, spaces inside the braces allowed, a variable repeated filled each time', () => {
  const rendered = renderCanned('Hi {{contact.name}}, I am {{ agent.name }}. Ref {{conversation.id}}, {{contact.name}}.', { 'contact.name': 'Ana', 'agent.name': 'Bo', 'conversation.id': 'cnv_1' });
  assert.deepEqual(rendered, { ok: true, text: 'Hi Ana, I am Bo. Ref cnv_1, Ana.' });
});

it('an unknown variable, or a known one without a value, refuses the render and names every such variable', () => {
  assert.deepEqual(renderCanned('Order {{order.id}} for {{contact.name}} by {{agent.name}}', { 'contact.name': null, 'agent.name': 'Bo' }), { ok: false, missing: ['order.id', 'contact.name'] });
  assert.deepEqual(renderCanned('{{toString}}', {}), { ok: false, missing: ['toString'] }, 'an inherited property is not a value');
});

it('a text without variables renders as it is; single braces are text', () => {
  assert.deepEqual(renderCanned('Thanks {for} waiting', {}), { ok: true, text: 'Thanks {for} waiting' });
});

it('variables are listed once, in order; malformed names are reported', () => {
  assert.deepEqual(cannedVariables('{{b}} {{a}} {{b}}'), ['b', 'a']);
  assert.deepEqual(malformedVariables('{{contact.name}} {{Contact Name}} {{1}} {{}}'), ['Contact Name', '1', '']);
});
