import type { TemplateBody } from '../../template-text/template-shape.js';
import { canonicalCase } from '../canonical-case.js';
import { LINT_RULES } from './rules/index.js';
import { DEFAULT_LINT_OPTIONS, type Finding, type LintOptions, type LintRule } from './types.js';

/**
 * Runs every rule over a template body, read with Meta's enum values in either case (see
 * `canonicalCase`). A rule that throws on a malformed body is skipped: the `component-structure` rule
 * reports the malformation itself, and one confused rule must not hide the findings of the others.
 */
export function lintTemplate(template: TemplateBody, options: Partial<LintOptions> = {}, rules: readonly LintRule[] = LINT_RULES): Finding[] {
  const body = canonicalCase(template);
  const settings: LintOptions = { ...DEFAULT_LINT_OPTIONS, ...options };
  const out: Finding[] = [];
  for (const rule of rules) {
    try {
      out.push(...rule.check(body, settings));
    } catch {
      continue;
    }
  }
  return out;
}

export interface SubmissionCheck {
  /** Errors: submission is refused until they are fixed. */
  errors: Finding[];
  /** Warnings whose rule id was not acknowledged: submission is refused until they are. */
  unacknowledged: Finding[];
  ok: boolean;
}

/** Whether findings allow a submission that acknowledges the given warning rule ids. */
export function checkSubmission(findings: readonly Finding[], acknowledged: readonly string[]): SubmissionCheck {
  const errors = findings.filter((f) => f.severity === 'error');
  const unacknowledged = findings.filter((f) => f.severity === 'warning' && !acknowledged.includes(f.ruleId));
  return { errors, unacknowledged, ok: errors.length === 0 && unacknowledged.length === 0 };
}
