import { isParleyError } from '../../errors/parley-error.js';
import type { RefusalCode } from '../../errors/refusal-codes.js';
import type { ErrorCode } from '../../errors/registry.js';
import type { ParleyContext } from '../../runtime/context.js';
import { getTemplateSettings } from '../localisation/template-settings.js';
import { pickLanguage, type LanguageRule } from '../localisation/language-picker.js';
import { renderCloudTemplate, type CloudComponent, type CloudTemplateObject } from '../../template-text/cloud-template.js';
import { expectedParameters } from '../../template-text/expected-parameters.js';
import type { RenderableTemplate } from '../../template-text/params.js';
import { renderUltraMsgMessage, type UltraMsgMessage } from '../../template-text/ultramsg-message.js';
import { getVersionById } from '../store/template-queries.js';
import { toTemplate, type Template } from '../store/template-records.js';
import { findTemplateForSend, loadUsabilityFacts, wabaOfSender } from '../usability/load-usability.js';
import { decideTemplateUsability, isSendable } from '../usability/template-usability.js';
import { allocate, bucketOf, variantForBucket, type PinnedShare } from '../variants/assignment.js';
import { listRollouts } from '../variants/rollout-queries.js';
import { listVariants, type Variant } from '../variants/variant-queries.js';
import { bindIntentParams, renderIntentText, type IntentParams, type TemplateBinding } from './binding.js';
import { getIntentByName, type Intent } from './intent-queries.js';

export interface ResolveIntentInput {
  workspaceId: string;
  senderId: string;
  contactId: string;
  /** The contact's language (`pt_BR`), if known. */
  contactLanguage: string | null | undefined;
  /** The intent's name (`order_shipped`). */
  intent: string;
  params: IntentParams;
  /** Whether the 24-hour customer-service window with this sender is open. */
  windowOpen: boolean;
}

/** What was chosen and why: stored on the message by the outbound pipeline. Plain JSON. */
export interface IntentDecision {
  intent: string;
  windowOpen: boolean;
  variant: { id: string; name: string; bucket: number } | null;
  language?: { contact: string | null; chosen: string | null; rule: LanguageRule; why: string };
  template?: { templateId: string; name: string; language: string; status: string | null };
  reroute?: { from: { name: string; language: string }; code: RefusalCode; reason: string };
  steps: string[];
}

export type VariantRef = { id: string; name: string };

export type IntentResolution =
  | { kind: 'text'; body: string; variant?: VariantRef; decision: IntentDecision }
  | {
      kind: 'template';
      templateId: string;
      name: string;
      language: string;
      category: string;
      /** Cloud API send components (header, body, button parameters). */
      components: CloudComponent[];
      /** The whole Cloud API `template` object. */
      template: CloudTemplateObject;
      /** The same template rendered for UltraMsg; absent when it cannot be (media given by Cloud API id). */
      ultramsg?: UltraMsgMessage;
      variant?: VariantRef;
      decision: IntentDecision;
    }
  | { kind: 'unavailable'; code: RefusalCode; reason: string; fallbackChannel?: 'sms' | 'email'; variant?: VariantRef; decision: IntentDecision };

async function chooseVariant(ctx: ParleyContext, intent: Intent, contactId: string): Promise<{ variant: Variant; bucket: number } | null> {
  const variants = await listVariants(ctx.db, intent.id);
  if (variants.length === 0) return null;
  const pinned: PinnedShare[] = [];
  for (const r of await listRollouts(ctx.db, intent.id)) {
    if (r.state === 'halted') continue;
    const existing = pinned.findIndex((p) => p.variantId === r.variantId);
    const share = { variantId: r.variantId, percent: r.stages[r.currentStage].percent };
    if (existing >= 0) pinned[existing] = share;
    else pinned.push(share);
  }
  const ranges = allocate(variants.map((v) => ({ id: v.id, weight: v.weight, isControl: v.isControl, active: v.state === 'active' })), pinned);
  const bucket = bucketOf(intent.name, contactId);
  const id = variantForBucket(ranges, bucket);
  const variant = variants.find((v) => v.id === id);
  return variant ? { variant, bucket } : null;
}

async function translationsOf(ctx: ParleyContext, workspaceId: string, wabaId: string | null, name: string): Promise<Template[]> {
  let query = ctx.db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name);
  if (wabaId) query = query.where('waba_id', '=', wabaId);
  const all = (await query.orderBy('created_at').execute()).map(toTemplate);
  // Without a WABA (UltraMsg) several WABAs may hold a translation: the sendable one wins.
  const byLanguage = new Map<string, Template>();
  for (const t of all) if (!byLanguage.has(t.language) || (!isSendable(byLanguage.get(t.language)!) && isSendable(t))) byLanguage.set(t.language, t);
  return [...byLanguage.values()];
}

/** The template renderer's errors that make an intent send unavailable, as refusal codes. */
const RENDER_REFUSALS: Partial<Record<ErrorCode, RefusalCode>> = {
  TEMPLATE_PARAMETERS_MISMATCH: 'template_parameters_mismatch',
  TEMPLATE_PARAMETER_INVALID: 'template_parameter_invalid',
};

/**
 * Intent sending (M1.2): which message serves this intent for this contact now. With the window open
 * and a text, the text; otherwise the intent's template in the contact's language (exact, base,
 * workspace fallback), rerouted to the template's backup when it is paused, disabled or rejected; or
 * `unavailable` with a code and, when the backup is a channel, that channel. A/B variants are chosen
 * deterministically per contact first. Every step is written to `decision`.
 */
export async function resolveIntent(ctx: ParleyContext, input: ResolveIntentInput): Promise<IntentResolution> {
  const decision: IntentDecision = { intent: input.intent, windowOpen: input.windowOpen, variant: null, steps: [] };
  const step = (line: string) => decision.steps.push(line);
  const intent = await getIntentByName(ctx.db, input.workspaceId, input.intent);
  if (!intent) {
    step(`no intent named ${input.intent}`);
    return { kind: 'unavailable', code: 'intent_not_found', reason: `No intent named ${input.intent} in this workspace.`, decision };
  }
  const chosen = await chooseVariant(ctx, intent, input.contactId);
  const variant = chosen ? { id: chosen.variant.id, name: chosen.variant.name } : undefined;
  if (chosen) {
    decision.variant = { ...variant!, bucket: chosen.bucket };
    step(`variant ${chosen.variant.name} (bucket ${chosen.bucket})`);
  }
  const text = chosen?.variant.text ?? intent.text;
  const binding: TemplateBinding | null = chosen?.variant.template ?? intent.template;
  const unavailable = (code: RefusalCode, reason: string, fallbackChannel?: 'sms' | 'email'): IntentResolution => {
    step(`unavailable: ${reason}`);
    return { kind: 'unavailable', code, reason, ...(fallbackChannel ? { fallbackChannel } : {}), ...(variant ? { variant } : {}), decision };
  };

  if (input.windowOpen && text) {
    const rendered = renderIntentText(text, input.params);
    if (rendered.missing.length) return unavailable('intent_parameters_missing', `The intent text needs ${rendered.missing.join(', ')}.`);
    step('the 24-hour window is open: free-form text');
    return { kind: 'text', body: rendered.body, ...(variant ? { variant } : {}), decision };
  }
  if (!binding) return unavailable(input.windowOpen ? 'intent_invalid' : 'intent_needs_template', input.windowOpen ? 'The intent has neither text nor template.' : 'The 24-hour window is closed and the intent has no template.');
  step(input.windowOpen ? `no text: template ${binding.name}` : `the 24-hour window is closed: template ${binding.name}`);

  const wabaId = await wabaOfSender(ctx, input.workspaceId, input.senderId);
  const translations = await translationsOf(ctx, input.workspaceId, wabaId, binding.name);
  if (translations.length === 0) return unavailable('template_not_found', `The template ${binding.name} does not exist${wabaId ? ` in WABA ${wabaId}` : ''}.`);
  const settings = await getTemplateSettings(ctx.db, input.workspaceId);

  let template: Template | undefined;
  let refusal: { code: RefusalCode; reason: string } | undefined;
  const first = pickLanguage({ contactLanguage: input.contactLanguage, available: translations.map((t) => t.language), fallbackLanguage: settings.fallbackLanguage });
  decision.language = { contact: input.contactLanguage ?? null, chosen: first.language, rule: first.rule, why: first.why };
  step(`language ${first.language ?? 'none'} (${first.rule}): ${first.why}`);
  if (first.language) {
    const candidate = translations.find((t) => t.language === first.language)!;
    const usability = decideTemplateUsability(await loadUsabilityFacts(ctx, { workspaceId: input.workspaceId, wabaId: candidate.wabaId, name: candidate.name, language: candidate.language }), { name: candidate.name, language: candidate.language });
    if (usability.outcome === 'usable') template = candidate;
    else if (usability.outcome === 'reroute') {
      decision.reroute = { from: { name: candidate.name, language: candidate.language }, code: usability.code, reason: usability.reason };
      step(usability.reason);
      if (usability.to.kind === 'channel') return unavailable(usability.code, usability.reason, usability.to.channel);
      template = await findTemplateForSend(ctx, { workspaceId: input.workspaceId, wabaId: candidate.wabaId, name: usability.to.name, language: usability.to.language });
    } else {
      refusal = { code: usability.code, reason: usability.reason };
      step(usability.reason);
    }
  }
  if (!template) {
    // The preferred translation cannot be sent and has no usable backup: the best sendable one instead.
    const sendable = translations.filter((t) => isSendable(t) && t.language !== first.language);
    const second = pickLanguage({ contactLanguage: input.contactLanguage, available: sendable.map((t) => t.language), fallbackLanguage: settings.fallbackLanguage });
    if (!second.language) return unavailable(refusal?.code ?? 'template_not_live', refusal?.reason ?? `No translation of ${binding.name} can be sent: ${second.why}.`);
    template = sendable.find((t) => t.language === second.language)!;
    decision.language = { contact: input.contactLanguage ?? null, chosen: second.language, rule: second.rule, why: second.why };
    step(`instead language ${second.language} (${second.rule}): ${second.why}`);
  }

  const version = template.liveVersionId ? await getVersionById(ctx.db, template.liveVersionId) : undefined;
  if (!version) return unavailable('template_not_live', `${template.name} (${template.language}) has no live version.`);
  decision.template = { templateId: template.id, name: template.name, language: template.language, status: template.providerStatus };
  const renderable: RenderableTemplate = { name: template.name, language: template.language, category: version.category, parameter_format: version.parameterFormat, components: version.components };
  const params = bindIntentParams(binding, expectedParameters(renderable), input.params);
  let cloud: CloudTemplateObject;
  try {
    cloud = renderCloudTemplate(renderable, params);
  } catch (error) {
    const code = isParleyError(error) ? RENDER_REFUSALS[error.code] : undefined;
    if (code) return unavailable(code, (error as Error).message);
    throw error;
  }
  let ultramsg: UltraMsgMessage | undefined;
  try {
    ultramsg = renderUltraMsgMessage(renderable, params);
  } catch {
    ultramsg = undefined;
  }
  step(`template ${template.name} (${template.language}), version ${version.number}`);
  return {
    kind: 'template',
    templateId: template.id,
    name: template.name,
    language: template.language,
    category: version.category,
    components: cloud.components ?? [],
    template: cloud,
    ...(ultramsg ? { ultramsg } : {}),
    ...(variant ? { variant } : {}),
    decision,
  };
}
