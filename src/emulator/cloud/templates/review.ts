import type { Template, TemplateReviewRule } from '../../types.js';
import { bodyText } from './placeholders.js';

export interface ReviewDecision {
  status: 'APPROVED' | 'REJECTED';
  reason: string;
  rejectionInfo?: { reason: string; recommendation: string };
}

/**
 * Meta's template review, imitated by configurable rules (`behaviour.templateReview.rules`): the first rule
 * whose every given condition matches decides; none matching means APPROVED with reason NONE.
 */
export function reviewTemplate(template: Pick<Template, 'name' | 'category' | 'components'>, rules: readonly TemplateReviewRule[]): ReviewDecision {
  const body = bodyText(template as Template) ?? '';
  for (const rule of rules) {
    if (rule.category && rule.category !== template.category) continue;
    if (rule.namePattern && !new RegExp(rule.namePattern).test(template.name)) continue;
    if (rule.bodyPattern && !new RegExp(rule.bodyPattern).test(body)) continue;
    return { status: rule.decision, reason: rule.reason, rejectionInfo: rule.decision === 'REJECTED' ? rule.rejectionInfo : undefined };
  }
  return { status: 'APPROVED', reason: 'NONE' };
}
