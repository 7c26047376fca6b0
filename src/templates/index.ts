/**
 * Template governance (M3) and intent sending (M1.2): what other modules use.
 *
 * The outbound pipeline calls, at accept and again at dispatch:
 * - `resolveIntent(ctx, input)`: for an intent send, the text or the rendered template (or why neither);
 *   store `decision` on the message and the variant id in `metadata.variant`;
 * - `templateGate` (a `Gate`), or `checkTemplateUsable(ctx, …)` directly: may this template be sent now,
 *   or reroute to its backup, or refuse with a code;
 * - `loadRenderableTemplate(ctx, …)`: the live version to render (the renderers themselves, pure, are in
 *   `src/template-text/`).
 */
export { resolveIntent, type ResolveIntentInput, type IntentResolution, type IntentDecision } from './intents/resolve-intent.js';
export { templateGate, verdictFor, type TemplateGateFacts } from './usability/template-gate.js';
export { checkTemplateUsable, loadUsabilityFacts } from './usability/load-usability.js';
export { decideTemplateUsability, type TemplateUsability, type UsabilityFacts, type BackupTarget } from './usability/template-usability.js';
export { loadRenderableTemplate } from './render/load-renderable.js';
export { templateInCatalogue, RESYNC_ON_MISS_INTERVAL } from './sync/resync-on-miss.js';
export { emitTemplateAlert, type TemplateAlert } from './alerts/emit-alert.js';
export { lintTemplate, checkSubmission } from './lint/run-lint.js';
export { LINT_RULES } from './lint/rules/index.js';
export { pickLanguage } from './localisation/language-picker.js';
