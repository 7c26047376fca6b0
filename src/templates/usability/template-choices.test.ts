import { it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyTextOf, forLanguage, parametersOf } from './template-choices.js';

const t = (name: string, language: string) => ({ name, language });

it('the contact\'s exact language wins; else its base language; else every template, so a person always has a choice', () => {
  const all = [t('b', 'pt_BR'), t('a', 'en_US'), t('a', 'pt'), t('a', 'pt_BR')];
  assert.deepEqual(forLanguage(all, 'pt-br'), [t('a', 'pt_BR'), t('b', 'pt_BR')]);
  assert.deepEqual(forLanguage([t('a', 'pt'), t('a', 'pt_PT'), t('a', 'en_US')], 'pt_BR'), [t('a', 'pt'), t('a', 'pt_PT')]);
  assert.deepEqual(forLanguage([t('a', 'en_US'), t('b', 'es')], 'de'), [t('a', 'en_US'), t('b', 'es')]);
  assert.deepEqual(forLanguage([t('b', 'es'), t('a', 'en_US')], null), [t('a', 'en_US'), t('b', 'es')]);
});

it('parameters per component with the template\'s examples: a text header, positional body values, a URL button', () => {
  const template = {
    name: 'order_ready',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A1'] } },
      { type: 'BODY', text: 'Hi {{1}}, order {{2}} is ready.', example: { body_text: [['Ana', 'A1']] } },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }, { type: 'URL', text: 'Track', url: 'https://x.example/{{1}}', example: ['https://x.example/A1'] }] },
    ],
  };
  assert.deepEqual(parametersOf(template), [
    { component: 'header', name: '1', example: 'A1' },
    { component: 'body', name: '1', example: 'Ana' },
    { component: 'body', name: '2', example: 'A1' },
    { component: 'button:1', name: 'url', example: null },
  ]);
  assert.equal(bodyTextOf(template), 'Hi {{1}}, order {{2}} is ready.');
});

it('named parameters take their named examples; a media header asks for its media', () => {
  const template = {
    name: 'welcome',
    language: 'en_US',
    category: 'MARKETING',
    parameter_format: 'NAMED',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['h'] } },
      { type: 'BODY', text: 'Welcome {{first_name}}!', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] } },
    ],
  };
  assert.deepEqual(parametersOf(template), [
    { component: 'header', name: 'image', example: null },
    { component: 'body', name: 'first_name', example: 'Ana' },
  ]);
});
