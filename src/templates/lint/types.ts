import type { TemplateBody } from '../template-shape.js';

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
 * A lint rule: a pure function of the template body with a stable id. Errors block submission to the
 * provider; warnings must be acknowledged by id at submission. Input may be malformed (files, API), so
 * rules read defensively; `component-structure` is the rule that reports malformed shapes.
 */
export interface LintRule {
  readonly id: string;
  readonly description: string;
  check(template: TemplateBody): Finding[];
}

export const finding = (ruleId: string, severity: Severity, path: string, message: string, fix: string): Finding => ({ ruleId, severity, path, message, fix });
