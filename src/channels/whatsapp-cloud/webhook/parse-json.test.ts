import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonKeepingLongIntegers } from './parse-json.js';

it('keeps template ids beyond 2^53 exact by reading them as strings', () => {
  const parsed = parseJsonKeepingLongIntegers('{"message_template_id": 12345678901234567890, "n": 42, "f": 1234567890123456.5}') as Record<string, unknown>;
  assert.equal(parsed.message_template_id, '12345678901234567890');
  assert.equal(parsed.n, 42);
  assert.equal(parsed.f, 1234567890123456.5);
});

it('leaves digits inside strings (with escaped quotes) alone', () => {
  const parsed = parseJsonKeepingLongIntegers('{"body": "call 12345678901234567 \\" 99999999999999999", "id": 1689556908129832}') as Record<string, unknown>;
  assert.equal(parsed.body, 'call 12345678901234567 " 99999999999999999');
  assert.equal(parsed.id, '1689556908129832');
});

it('still throws on malformed JSON', () => {
  assert.throws(() => parseJsonKeepingLongIntegers('{"entry": [1234567890123456789'), SyntaxError);
});
