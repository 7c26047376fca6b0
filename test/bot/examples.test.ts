import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { FlowDefinition } from '../../src/bot/flow-schema.js';
import { simulate } from '../../src/bot/simulate.js';
import { validateFlow } from '../../src/bot/validate-flow.js';
import { ROOT } from '../harness/cli.js';

/** Every shipped example flow is valid and every script shipped beside it passes, so a broken example fails the build. */
const EXAMPLES = path.join(ROOT, 'examples/flows');

describe('the example bot flows', () => {
  const folders = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it('ship support triage, appointment booking and field service, each with scripts', () => {
    for (const name of ['support-triage', 'appointment-booking', 'field-service']) assert.ok(folders.includes(name), name);
  });

  for (const folder of folders) {
    const dir = path.join(EXAMPLES, folder);
    const files = readdirSync(dir);
    const flowFile = files.find((f) => /^flow\.(json|ya?ml)$/.test(f));
    const scripts = files.filter((f) => f.endsWith('.script'));
    it(`${folder}: the flow is valid and its ${scripts.length} script(s) pass`, () => {
      assert.ok(flowFile, `${folder} has a flow.json or flow.yaml`);
      assert.ok(scripts.length > 0, `${folder} has at least one .script`);
      const text = readFileSync(path.join(dir, flowFile), 'utf8');
      const flow: unknown = flowFile.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      assert.deepEqual(validateFlow(flow), []);
      for (const script of scripts) {
        const result = simulate(flow as FlowDefinition, readFileSync(path.join(dir, script), 'utf8'), { now: '2026-12-07T09:00:00Z' });
        assert.ok(result.ok, `${script}: ${JSON.stringify(!result.ok && result.scriptErrors)}`);
        assert.deepEqual(result.failures, [], `${script}:\n${result.transcript.join('\n')}`);
      }
    });
  }

  it('the support triage scripts take the webhook timeout branch and ask for a person', () => {
    const script = readFileSync(path.join(EXAMPLES, 'support-triage/lookup-timeout.script'), 'utf8');
    assert.match(script, /^webhook order_lookup: timeout$/m);
    assert.match(script, /^expect handoff: asked_for_human$/m);
  });
});
