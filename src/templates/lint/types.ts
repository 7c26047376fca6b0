import type { TemplateBody } from '../../template-text/template-shape.js';

export type Severity = 'error' | 'warning';

/** One problem a rule found: where (a JSON pointer into the create body), what, and how to fix it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  message: string;
  fix: string;
}

/**
 * The tunable thresholds of the lint. Meta publishes no number for these, so Parley states its own and
 * lets an operator move them: `PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE` for the server,
 * `--min-words-per-variable` for `parley templates lint`.
 */
export interface LintOptions {
  /**
   * `variable-density`: the body should have at least this many words of fixed text per placeholder
   * (Meta rejects "too many variable parameters relative to the message length" without a threshold).
   * 0 turns the check off.
   */
  readonly minWordsPerVariable: number;
}

export const DEFAULT_LINT_OPTIONS: LintOptions = Object.freeze({ minWordsPerVariable: 2 });

/**
 * A lint rule: a pure function of the template body with a stable id. Errors block submission to the
 * provider; warnings must be acknowledged by id at submission. Input may be malformed (files, API), so
 * rules read defensively; `component-structure` is the rule that reports malformed shapes. Enum values
 * (category, component, format and button types) arrive upper-cased: `lintTemplate` reads Meta's
 * lower-case spelling (`"type": "body"`), which the Graph API accepts, as the same thing.
 */
export interface LintRule {
  readonly id: string;
  readonly description: string;
  check(template: TemplateBody, options: LintOptions): Finding[];
}

export const finding = (ruleId: string, severity: Severity, path: string, message: string, fix: string): Finding => ({ ruleId, severity, path, message, fix });
