import type { LintRule } from '../types.js';
import { rule as nameFormat } from './name-format.js';
import { rule as languageCode } from './language-code.js';
import { rule as componentStructure } from './component-structure.js';
import { rule as variableSyntax } from './variable-syntax.js';
import { rule as variablesSequential } from './variables-sequential.js';
import { rule as variableExamples } from './variable-examples.js';
import { rule as mediaHeaderExample } from './media-header-example.js';
import { rule as lengthLimits } from './length-limits.js';
import { rule as countLimits } from './count-limits.js';
import { rule as variableAtEdge } from './variable-at-edge.js';
import { rule as adjacentVariables } from './adjacent-variables.js';
import { rule as variableDensity } from './variable-density.js';
import { rule as promotionalInUtility } from './promotional-in-utility.js';
import { rule as marketingOptOutHint } from './marketing-opt-out-hint.js';
import { rule as linkShortener } from './link-shortener.js';
import { rule as buttonGrouping } from './button-grouping.js';
import { rule as authenticationShape } from './authentication-shape.js';
import { rule as urlButtonFormat } from './url-button-format.js';
import { rule as phoneButtonFormat } from './phone-button-format.js';
import { rule as headerTextFormat } from './header-text-format.js';
import { rule as duplicateButtonText } from './duplicate-button-text.js';
import { rule as copyCodeInUtility } from './copy-code-in-utility.js';
import { rule as copyCodeExample } from './copy-code-example.js';
import { rule as footerTextFormat } from './footer-text-format.js';
import { rule as exampleValueFormat } from './example-value-format.js';

/** Every lint rule, in the order findings are reported. Rule ids are stable: clients acknowledge them. */
export const LINT_RULES: readonly LintRule[] = [
  nameFormat,
  languageCode,
  componentStructure,
  variableSyntax,
  variablesSequential,
  variableExamples,
  exampleValueFormat,
  mediaHeaderExample,
  lengthLimits,
  countLimits,
  variableAtEdge,
  adjacentVariables,
  variableDensity,
  promotionalInUtility,
  copyCodeInUtility,
  marketingOptOutHint,
  linkShortener,
  buttonGrouping,
  authenticationShape,
  urlButtonFormat,
  phoneButtonFormat,
  copyCodeExample,
  headerTextFormat,
  footerTextFormat,
  duplicateButtonText,
];

export const LINT_RULE_IDS: readonly string[] = LINT_RULES.map((r) => r.id);
