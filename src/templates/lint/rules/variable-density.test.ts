import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateBody } from '../../../template-text/template-shape.js';
import { lintTemplate } from '../run-lint.js';
import { DEFAULT_LINT_OPTIONS } from '../types.js';
import { VARIABLES } from '../../../config/variables.js';

// 3 placeholders, 5 words of fixed text ("Hi", "your", "order", "ships", "on").
const template: TemplateBody = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships on {{3}}.', example: { body_text: [['Asha', 'A1', 'Monday']] } }],
};
const density = (minWordsPerVariable?: number) => lintTemplate(template, minWordsPerVariable === undefined ? {} : { minWordsPerVariable }).filter((f) => f.ruleId === 'variable-density');

describe('variable-density', () => {
  it('is a warning at the default ratio of 2 words of fixed text per placeholder, and states the ratio', () => {
    assert.equal(DEFAULT_LINT_OPTIONS.minWordsPerVariable, 2);
    assert.equal(Number(VARIABLES.templateMinWordsPerVariable.default), DEFAULT_LINT_OPTIONS.minWordsPerVariable, 'the server default is the lint default');
    const [f] = density();
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /3 placeholder\(s\) and 5 word\(s\)/);
    assert.match(f.message, /2 word\(s\) per placeholder/);
    assert.match(f.fix, /at least 1 more word/);
  });

  it('follows the configured ratio: a lower one passes the same body, 0 turns the check off', () => {
    assert.deepEqual(density(1.5), []);
    assert.deepEqual(density(0), []);
    assert.equal(density(4).length, 1);
    assert.match(density(4)[0].fix, /at least 7 more word/);
  });
});
