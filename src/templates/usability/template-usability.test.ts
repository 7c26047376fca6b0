import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideTemplateUsability, type TemplateFacts } from './template-usability.js';
import { verdictFor } from './template-gate.js';
import type { OutboundDraft } from '../../outbound/gates/gate.js';

const live = (over: Partial<TemplateFacts> = {}): TemplateFacts => ({ id: 'tpl_1', name: 'order_update', language: 'en_US', providerStatus: 'APPROVED', liveVersionId: 'tplv_1', bodyParameterCount: 2, backup: null, ...over });
const request = { name: 'order_update', language: 'en_US' };

describe('template usability', () => {
  it('is usable when a version is live and the provider status is APPROVED or FLAGGED', () => {
    assert.equal(decideTemplateUsability({ template: live(), backupTemplate: null }, request).outcome, 'usable');
    assert.equal(decideTemplateUsability({ template: live({ providerStatus: 'FLAGGED' }), backupTemplate: null }, request).outcome, 'usable');
  });

  it('refuses an unknown template, and a template not yet approved, with codes', () => {
    assert.deepEqual(pick(decideTemplateUsability({ template: null, backupTemplate: null }, request)), ['refuse', 'template_not_found']);
    assert.deepEqual(pick(decideTemplateUsability({ template: live({ providerStatus: 'PENDING', liveVersionId: null }), backupTemplate: null }, request)), ['refuse', 'template_not_live']);
  });

  it('refuses a parameter count that does not match the live version (the 132000 equivalent)', () => {
    assert.deepEqual(pick(decideTemplateUsability({ template: live(), backupTemplate: null }, { ...request, parameterCount: 3 })), ['refuse', 'template_parameters_mismatch']);
  });

  it('reroutes a paused template to its usable backup template', () => {
    const decision = decideTemplateUsability(
      { template: live({ providerStatus: 'PAUSED', backup: { kind: 'template', name: 'order_update_v2' } }), backupTemplate: live({ id: 'tpl_2', name: 'order_update_v2' }) },
      request,
    );
    assert.deepEqual(decision, { outcome: 'reroute', to: { kind: 'template', name: 'order_update_v2', language: 'en_US' }, code: 'template_paused', reason: 'order_update (en_US) is PAUSED; rerouting to the backup template order_update_v2 (en_US)' });
  });

  it('reroutes a disabled template to a backup channel', () => {
    const decision = decideTemplateUsability({ template: live({ providerStatus: 'DISABLED', backup: { kind: 'channel', channel: 'sms' } }), backupTemplate: null }, request);
    assert.deepEqual(decision.outcome === 'reroute' && [decision.to, decision.code], [{ kind: 'channel', channel: 'sms' }, 'template_disabled']);
  });

  it('refuses a rejected template whose backup is unusable too, or that has no backup', () => {
    const backup = { kind: 'template' as const, name: 'b' };
    assert.deepEqual(pick(decideTemplateUsability({ template: live({ providerStatus: 'REJECTED', backup }), backupTemplate: live({ name: 'b', providerStatus: 'PAUSED' }) }, request)), ['refuse', 'template_rejected']);
    assert.deepEqual(pick(decideTemplateUsability({ template: live({ providerStatus: 'PAUSED' }), backupTemplate: null }, request)), ['refuse', 'template_paused']);
  });

  it('the gate passes non-template drafts and maps decisions to verdicts', () => {
    const draft = { type: 'template', template: request } as OutboundDraft;
    assert.equal(verdictFor({ ...draft, type: 'text', template: undefined }, { applies: false }).outcome, 'pass');
    assert.deepEqual(verdictFor(draft, { applies: true, facts: { template: live({ providerStatus: 'PAUSED', backup: { kind: 'channel', channel: 'email' } }), backupTemplate: null } }), {
      outcome: 'reroute',
      to: { kind: 'channel', channel: 'email' },
      code: 'template_paused',
      reason: 'order_update (en_US) is PAUSED; rerouting to the backup channel email',
    });
    // A template Parley has never seen is left to the provider (it may live only at Meta).
    assert.equal(verdictFor(draft, { applies: true, facts: { template: null, backupTemplate: null } }).outcome, 'pass');
  });
});

function pick(d: ReturnType<typeof decideTemplateUsability>) {
  return [d.outcome, d.outcome === 'usable' ? null : d.code];
}
