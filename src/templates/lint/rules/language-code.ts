import { LANGUAGE_CODE } from '../../language.js';
import { finding, type LintRule } from '../types.js';

// The language must be one of Meta's locale codes (`en_US`, `pt_BR`, `es`): sends name it exactly.
export const rule: LintRule = {
  id: 'language-code',
  description: 'The language is a Meta locale code such as en_US, pt_BR or es.',
  check(template) {
    const language: unknown = template?.language;
    if (typeof language === 'string' && LANGUAGE_CODE.test(language)) return [];
    const suggestion = typeof language === 'string' ? language.replace(/-/g, '_') : 'en_US';
    return [
      finding(
        this.id,
        'error',
        '/language',
        typeof language === 'string' ? `"${language}" is not a Meta language code.` : 'The template has no language.',
        `Use a code like "en_US", "pt_BR" or "es"${typeof language === 'string' && LANGUAGE_CODE.test(suggestion) ? ` (here "${suggestion}")` : ''}.`,
      ),
    ];
  },
};
