import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/cli.js';
import { startTestEmulator, waitFor, type TestEmulator } from '../emulator/harness.js';
import { lintFolder } from '../../src/templates/lint/lint-folder.js';
import { lintTemplate } from '../../src/templates/lint/run-lint.js';
import type { TemplateBody } from '../../src/template-text/template-shape.js';

/** Template examples copied from Meta's template documentation (sources: SOURCES.md in the folder). */
const FOLDER = path.join(ROOT, 'test/fixtures/templates/meta-examples');
const examples = readdirSync(FOLDER)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, body: JSON.parse(readFileSync(path.join(FOLDER, file), 'utf8')) as TemplateBody }));

/**
 * The warnings lint gives Meta's own examples, each for a stated reason (warnings are acknowledged at
 * submission, never a refusal):
 * - phone-button-format: "15550051310" has no + and +1 555 is no assigned range, so the digits could
 *   be a national number missing its country code;
 * - marketing-opt-out-hint: the example offers no way to stop marketing messages (WhatsApp policy asks
 *   for one; Meta's review does not require it);
 * - component-structure: a catalog or multi-product button, which Meta accepts and Parley does not
 *   model (it cannot fill its send-time parameters).
 */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'abandoned_cart.json': ['component-structure', 'marketing-opt-out-hint'],
  'intro_catalog_offer.json': ['component-structure', 'marketing-opt-out-hint'],
  'limited_time_offer_tuscan_getaway_2023.json': ['marketing-opt-out-hint', 'phone-button-format'],
  'order_confirmation.json': ['phone-button-format'],
};

describe('Meta’s own template examples', () => {
  it('the fixtures hold the examples named in the issue, and one of each category', () => {
    const names = examples.map((e) => e.body.name);
    for (const name of ['order_confirmation', 'limited_time_offer_tuscan_getaway_2023']) assert.ok(names.includes(name), name);
    assert.deepEqual([...new Set(examples.map((e) => String(e.body.category).toUpperCase()))].sort(), ['AUTHENTICATION', 'MARKETING', 'UTILITY']);
    assert.match(readFileSync(path.join(FOLDER, 'SOURCES.md'), 'utf8'), /developers\.facebook\.com/);
    for (const { file } of examples) assert.ok(readFileSync(path.join(FOLDER, 'SOURCES.md'), 'utf8').includes(`\`${file}\``), `SOURCES.md names ${file}`);
  });

  for (const { file, body } of examples) {
    it(`${file}: lint finds no error, and only the expected warnings`, () => {
      const findings = lintTemplate(body);
      assert.deepEqual(findings.filter((f) => f.severity === 'error'), [], file);
      assert.deepEqual(findings.map((f) => f.ruleId).sort(), EXPECTED_WARNINGS[file] ?? [], file);
    });
  }

  it('parley templates lint over the folder reports no error', () => {
    const results = lintFolder(FOLDER);
    assert.equal(results.length, examples.length);
    assert.deepEqual(results.flatMap((r) => r.findings.filter((f) => f.severity === 'error')), []);
  });

  describe('the emulator’s template creation accepts them, as Meta does', () => {
    let t: TestEmulator;
    before(async () => {
      t = await startTestEmulator();
    });
    after(() => t.close());

    for (const { file, body } of examples) {
      it(`${file}: POST /{waba_id}/message_templates is accepted and reviewed`, async () => {
        const created = await t.graph('POST', `/v21.0/${t.emu.info.wabaId}/message_templates`, body);
        assert.equal(created.status, 200, JSON.stringify(created.body));
        assert.equal(created.body.status, 'PENDING');
        assert.equal(created.body.category, String(body.category).toUpperCase());
        await waitFor(() => t.receiver.posts.find((p) => p.body.entry?.[0]?.changes?.[0]?.value?.message_template_name === body.name), `the review of ${body.name}`);
      });
    }
  });
});
