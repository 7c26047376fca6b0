import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REFUSAL_CODES, REFUSAL_CODE_LIST, isRefusalCode, type RefusalCode } from '../../src/errors/refusal-codes.js';
import type { OutboundDraft, Verdict } from '../../src/outbound/gates/gate.js';
import { validityGate } from '../../src/outbound/gates/validity-gate.js';
import { suppressionGate } from '../../src/outbound/gates/suppression-gate.js';
import { SERVICE_WINDOW } from '../../src/conversations/service-window.js';
import { windowGate } from '../../src/outbound/gates/window-gate.js';
import { unavailableChannel } from '../../src/policy/decide.js';
import { decideConsent } from '../../src/consent/consent-gate.js';
import { evaluateConsent } from '../../src/consent/evaluate-consent.js';
import { emptyConsent } from '../../src/consent/derive-consent.js';
import { CHANNELS, PURPOSES } from '../../src/consent/types.js';
import { verdictFor } from '../../src/templates/usability/template-gate.js';
import { decideTemplateUsability, type TemplateFacts } from '../../src/templates/usability/template-usability.js';
import { describeStorage } from '../harness/storage.js';

const NOW = Date.UTC(2026, 11, 6, 12);
const draft = (over: Partial<OutboundDraft> = {}): OutboundDraft => ({
  workspaceId: 'ws',
  senderId: 'snd',
  provider: 'cloud',
  contactId: 'ct',
  to: '+15550000001',
  lane: 'marketing',
  type: 'text',
  purpose: 'marketing',
  channel: 'whatsapp',
  createdAt: NOW - 1000,
  ...over,
});
const template = (over: Partial<TemplateFacts> = {}): TemplateFacts => ({ id: 'tpl', name: 'promo', language: 'en_US', providerStatus: 'APPROVED', liveVersionId: 'v1', bodyParameterCount: 1, backup: null, ...over });

/** Every verdict the pure gates, the template usability decision and the reroute give over a spread of facts. */
function verdicts(): Verdict[] {
  const out: Verdict[] = [];
  out.push(validityGate.decide(draft({ validUntil: NOW - 1 }), null, NOW));
  for (const scope of ['all', 'marketing'] as const) out.push(suppressionGate.decide(draft(), [{ scope, reason: 'stop', expiresAt: null }], NOW));
  out.push(windowGate.decide(draft(), { lastInboundAt: NOW - SERVICE_WINDOW - 1 }, NOW), windowGate.decide(draft(), { lastInboundAt: null }, NOW));
  const policy = { utility: 'opt_in', authentication: 'opt_in' } as const;
  out.push(decideConsent(draft(), { contact: null, records: [], policy }, NOW));
  out.push(decideConsent(draft(), { contact: { id: 'ct', erased: true }, records: [], policy }, NOW));
  out.push(decideConsent(draft(), { contact: { id: 'ct', erased: false }, records: [], policy }, NOW));
  for (const purpose of PURPOSES) {
    for (const channel of CHANNELS) {
      const withdrawn = emptyConsent();
      withdrawn[purpose][channel] = { status: 'withdrawn', since: NOW - 1, recordId: 'rec', source: 'api' };
      for (const current of [emptyConsent(), withdrawn]) {
        const e = evaluateConsent(purpose, channel, current, policy);
        if (!e.allowed) out.push({ outcome: 'refuse', code: e.code, reason: e.reason });
      }
    }
  }
  const t = draft({ type: 'template', template: { name: 'promo', language: 'en_US', parameterCount: 1 } });
  const statuses = ['APPROVED', 'PENDING', 'PAUSED', 'DISABLED', 'REJECTED', null];
  for (const providerStatus of statuses) {
    for (const backup of [null, { kind: 'template', name: 'promo_b', language: 'en_US' }, { kind: 'channel', channel: 'sms' }] as TemplateFacts['backup'][]) {
      for (const backupTemplate of [null, template({ name: 'promo_b', providerStatus: 'PAUSED' }), template({ name: 'promo_b' })]) {
        const verdict = verdictFor(t, { applies: true, facts: { template: template({ providerStatus, liveVersionId: providerStatus === 'APPROVED' || providerStatus === 'PAUSED' ? 'v1' : null, backup }), backupTemplate } });
        out.push(verdict);
        if (verdict.outcome === 'reroute' && verdict.to.kind === 'channel') out.push(unavailableChannel(verdict));
      }
    }
  }
  out.push(verdictFor({ ...t, template: { ...t.template!, parameterCount: 3 } }, { applies: true, facts: { template: template(), backupTemplate: null } }));
  // The gate leaves templates unknown to Parley to the provider; the intent resolver refuses them.
  const unknown = decideTemplateUsability({ template: null, backupTemplate: null }, { name: 'nope', language: 'en_US' });
  if (unknown.outcome === 'refuse') out.push(unknown);
  return out;
}

describe('refusal codes', () => {
  it('are listed once each, in lower snake_case, with a description, a hint and the status a refused message ends in', () => {
    assert.equal(new Set(REFUSAL_CODE_LIST).size, REFUSAL_CODE_LIST.length);
    for (const code of REFUSAL_CODE_LIST) {
      assert.match(code, /^[a-z]+(_[a-z]+)*$/, code);
      const spec = REFUSAL_CODES[code];
      assert.ok(spec.description.endsWith('.') && spec.hint.endsWith('.'), code);
      assert.equal(spec.ends, code === 'expired' ? 'expired' : 'refused', code);
    }
    assert.equal(isRefusalCode('window_closed'), true);
    assert.equal(isRefusalCode('CONSENT_NO_OPT_IN'), false, 'the old upper-case spellings are not codes any more');
    assert.equal(isRefusalCode('toString'), false);
  });

  it('every refusal a gate or the reroute gives is in the registry, and every gate code of the registry is given', () => {
    const given = new Set<string>();
    for (const verdict of verdicts()) {
      const code = verdict.outcome === 'refuse' ? verdict.code : verdict.outcome === 'reroute' ? verdict.code : undefined;
      if (code === undefined) continue;
      assert.ok(isRefusalCode(code), `${String(code)} is not in the registry of refusal codes`);
      given.add(code);
    }
    // The intent resolver's codes (intent_*, template_parameter_invalid) are covered by test/templates/intents.test.ts.
    const gateCodes = REFUSAL_CODE_LIST.filter((c: RefusalCode) => !c.startsWith('intent_') && c !== 'template_parameter_invalid');
    assert.deepEqual([...given].sort(), [...gateCodes].sort());
  });
});

describeStorage('refusal codes in the OpenAPI document', (fx) => {
  it('decisions[].code is an enum of exactly the registry, each code described', async () => {
    const app = await fx.app();
    const openapi = (await app.inject('/openapi.json')).json();
    const found: Array<{ enum?: string[]; description?: string }> = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const decisions = (node as { properties?: { decisions?: { items?: { properties?: { code?: { enum?: string[]; description?: string } } } } } }).properties?.decisions;
      if (decisions?.items?.properties?.code) found.push(decisions.items.properties.code);
      for (const value of Object.values(node)) walk(value);
    };
    walk(openapi);
    assert.ok(found.length > 0, 'a decisions schema is in the document');
    for (const code of found) {
      assert.deepEqual(code.enum, Object.keys(REFUSAL_CODES));
      for (const key of REFUSAL_CODE_LIST) assert.ok(code.description?.includes(`\`${key}\`: ${REFUSAL_CODES[key].description}`), key);
    }
  });
});
