import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyError } from '../../errors/parley-error.js';
import { REFUSAL_CODE_LIST } from '../../errors/refusal-codes.js';
import { toMetaError } from './meta-errors.js';

const refused = (code: unknown) => toMetaError(new ParleyError('MESSAGE_REFUSED', { details: { messageId: 'msg_1', code } })).body.error.code;

describe('refusals in Meta’s error envelope', () => {
  it('answers each refusal code with the Graph code an SDK expects', () => {
    const answers = Object.fromEntries(REFUSAL_CODE_LIST.map((code) => [code, refused(code)]));
    assert.deepEqual(answers, {
      expired: 100,
      suppressed: 131050,
      window_closed: 131047,
      consent_no_opt_in: 131050,
      consent_withdrawn: 131050,
      consent_contact_unknown: 100,
      consent_contact_erased: 100,
      template_not_found: 132001,
      template_parameters_mismatch: 132000,
      template_parameter_invalid: 100,
      template_paused: 132015,
      template_disabled: 132016,
      template_rejected: 132001,
      template_not_live: 132001,
      fallback_channel_unavailable: 100,
      intent_not_found: 100,
      intent_parameters_missing: 100,
      intent_invalid: 100,
      intent_needs_template: 100,
    });
  });
  it('answers a code outside the registry (or none) as an invalid parameter', () => {
    assert.equal(refused('CONSENT_NO_OPT_IN'), 100);
    assert.equal(refused(undefined), 100);
  });
});
