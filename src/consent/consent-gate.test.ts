import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboundDraft } from '../policy/gate.js';
import { consentGate, decideConsent, type ConsentFacts } from './consent-gate.js';
import { CONSENT_REFUSALS } from './evaluate-consent.js';
import type { ConsentRecord, Purpose } from './types.js';

const T0 = Date.UTC(2025, 0, 1);
const draft = (purpose: Purpose, channel: OutboundDraft['channel'] = 'whatsapp'): OutboundDraft => ({
  workspaceId: 'ws_1', senderId: 'snd_1', provider: 'cloud', contactId: 'ct_1', to: '+5511987654321', lane: purpose === 'marketing' ? 'marketing' : 'transactional', type: 'template', purpose, channel, createdAt: T0,
});
let n = 0;
const record = (purpose: Purpose, status: 'granted' | 'withdrawn', at: number, channel: ConsentRecord['channel'] = 'whatsapp'): ConsentRecord => ({
  id: `cr_${String(++n).padStart(4, '0')}`, contactId: 'ct_1', purpose, channel, status, source: 'api', effectiveAt: at, recordedAt: at, wording: null, actor: { type: 'system', id: 't' },
});
const facts = (records: ConsentRecord[], policy: ConsentFacts['policy'] = { utility: 'implicit', authentication: 'implicit' }): ConsentFacts => ({ contact: { id: 'ct_1', erased: false }, records, policy });
const refusal = (v: ReturnType<typeof decideConsent>) => (v.outcome === 'refuse' ? v.code : v.outcome);

describe('consent gate decisions', () => {
  it('is exported as the outbound Gate named consent', () => {
    assert.equal(consentGate.name, 'consent');
    assert.equal(consentGate.decide, decideConsent);
  });

  it('marketing without any record is refused: no opt-in', () => {
    const v = decideConsent(draft('marketing'), facts([]), T0);
    assert.equal(refusal(v), CONSENT_REFUSALS.noOptIn);
    assert.match(v.outcome === 'refuse' ? v.reason : '', /Marketing always needs an opt-in.*whatsapp/);
  });

  it('marketing with a live opt-in on its channel passes, and says on what basis', () => {
    const v = decideConsent(draft('marketing'), facts([record('marketing', 'granted', T0 - 10)]), T0);
    assert.equal(v.outcome, 'pass');
    assert.match(v.outcome === 'pass' ? v.note ?? '' : '', /granted at .* record cr_/);
  });

  it('an opt-in on another channel does not count', () => {
    assert.equal(refusal(decideConsent(draft('marketing', 'sms'), facts([record('marketing', 'granted', T0 - 10, 'whatsapp')]), T0)), CONSENT_REFUSALS.noOptIn);
  });

  it('marketing after a withdrawal is refused, naming when and which record', () => {
    const v = decideConsent(draft('marketing'), facts([record('marketing', 'granted', T0 - 20), record('marketing', 'withdrawn', T0 - 10)]), T0);
    assert.equal(refusal(v), CONSENT_REFUSALS.withdrawn);
    assert.match(v.outcome === 'refuse' ? v.reason : '', /withdrew marketing consent on whatsapp at 2024-12-31T23:59:59\.990Z \(source api, record cr_\d+\)/);
  });

  it('a message accepted before the withdrawal is refused when decided again at dispatch', () => {
    const granted = record('marketing', 'granted', T0 - 1000);
    const atAcceptance = decideConsent(draft('marketing'), facts([granted]), T0);
    assert.equal(atAcceptance.outcome, 'pass');
    const withdrawal = record('marketing', 'withdrawn', T0 + 500);
    assert.equal(refusal(decideConsent(draft('marketing'), facts([granted, withdrawal]), T0 + 1000)), CONSENT_REFUSALS.withdrawn);
  });

  it('a withdrawal dated after the moment of the decision is not yet in force', () => {
    const v = decideConsent(draft('marketing'), facts([record('marketing', 'granted', T0 - 10), record('marketing', 'withdrawn', T0 + 60_000)]), T0);
    assert.equal(v.outcome, 'pass');
  });

  it('utility and authentication under the implicit policy pass without a record, and are refused once withdrawn', () => {
    for (const purpose of ['utility', 'authentication'] as const) {
      const v = decideConsent(draft(purpose), facts([]), T0);
      assert.equal(v.outcome, 'pass', purpose);
      assert.match(v.outcome === 'pass' ? v.note ?? '' : '', /workspace policy \(implicit\)/);
      assert.equal(refusal(decideConsent(draft(purpose), facts([record(purpose, 'withdrawn', T0 - 1)]), T0)), CONSENT_REFUSALS.withdrawn, purpose);
    }
  });

  it('utility and authentication under the opt_in policy need a grant', () => {
    const policy = { utility: 'opt_in', authentication: 'opt_in' } as const;
    for (const purpose of ['utility', 'authentication'] as const) {
      const v = decideConsent(draft(purpose), facts([], policy), T0);
      assert.equal(refusal(v), CONSENT_REFUSALS.noOptIn, purpose);
      assert.match(v.outcome === 'refuse' ? v.reason : '', new RegExp(`workspace policy requires an opt-in for ${purpose}`));
      assert.equal(decideConsent(draft(purpose), facts([record(purpose, 'granted', T0 - 1)], policy), T0).outcome, 'pass', purpose);
    }
    // The policies are independent.
    assert.equal(decideConsent(draft('authentication'), facts([], { utility: 'opt_in', authentication: 'implicit' }), T0).outcome, 'pass');
  });

  it('service is allowed without a record and refused only when the customer withdrew it', () => {
    assert.equal(decideConsent(draft('service'), facts([]), T0).outcome, 'pass');
    assert.equal(decideConsent(draft('service'), facts([record('marketing', 'withdrawn', T0 - 1), record('utility', 'withdrawn', T0 - 1)]), T0).outcome, 'pass', 'other withdrawals do not stop service replies');
    assert.equal(refusal(decideConsent(draft('service'), facts([record('service', 'withdrawn', T0 - 1)]), T0)), CONSENT_REFUSALS.withdrawn);
  });

  it('an unknown or erased contact is refused', () => {
    assert.equal(refusal(decideConsent(draft('service'), { contact: null, records: [], policy: { utility: 'implicit', authentication: 'implicit' } }, T0)), CONSENT_REFUSALS.contactUnknown);
    assert.equal(refusal(decideConsent(draft('service'), { contact: { id: 'ct_1', erased: true }, records: [], policy: { utility: 'implicit', authentication: 'implicit' } }, T0)), CONSENT_REFUSALS.contactErased);
  });
});
