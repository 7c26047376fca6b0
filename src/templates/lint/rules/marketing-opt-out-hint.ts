import { allStrings } from '../subject.js';
import { finding, type LintRule } from '../types.js';

/** How customers are told they can stop marketing messages (en, pt, es). */
export const OPT_OUT_HINT = /\b(stop|unsubscribe|opt[- ]?out)\b|\bparar\b|\bsair\b|descadastr|cancelar (a )?inscri|darse de baja|\bbaja\b|desuscrib|no recibir/i;

// WhatsApp policy: marketing must tell people how to opt out, and templates without a way out draw
// blocks and reports, which lower the number's quality rating.
export const rule: LintRule = {
  id: 'marketing-opt-out-hint',
  description: 'A MARKETING template tells the customer how to stop (e.g. a footer "Reply STOP to unsubscribe" or a quick reply "Stop promotions").',
  check(template) {
    if (template?.category !== 'MARKETING') return [];
    if (allStrings(template).some(({ text }) => OPT_OUT_HINT.test(text))) return [];
    return [finding(this.id, 'warning', '/components', 'The marketing template does not say how to stop receiving these messages.', 'Add a footer such as "Reply STOP to unsubscribe" or a quick-reply button "Stop promotions".')];
  },
};
