import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, runCli } from '../harness/cli.js';

const TRIAGE = path.join(ROOT, 'examples/flows/support-triage');

describe('parley flows test', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-flows-'));
    writeFileSync(path.join(dir, 'wrong.script'), readFileSync(path.join(TRIAGE, 'order-status.script'), 'utf8').replace('bot: anything else', 'bot: Do you want a discount?'));
    const flow = readFileSync(path.join(TRIAGE, 'flow.yaml'), 'utf8').replace('title: "Try again"', 'title: "Try again in a few minutes"');
    writeFileSync(path.join(dir, 'broken.yaml'), flow);
    writeFileSync(path.join(dir, 'malformed.script'), 'customer: hi\ncustomer shouts: HELLO\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plays a passing script: prints the transcript and exits 0', async () => {
    const result = await runCli(['flows', 'test', path.join(TRIAGE, 'flow.yaml'), '--script', path.join(TRIAGE, 'lookup-timeout.script')]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(result.stdout.includes('[webhook order_lookup ← timeout]'), result.stdout);
    assert.ok(result.stdout.includes('[hand-off: asked_for_human'), result.stdout);
    assert.match(result.stdout, /passed\.\n$/);
  });

  it('a failed expectation exits 1 and names the script line', async () => {
    const script = path.join(dir, 'wrong.script');
    const result = await runCli(['flows', 'test', path.join(TRIAGE, 'flow.yaml'), '--script', script]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.ok(result.stdout.includes(`${script}:14: Expected the bot to say "Do you want a discount?"; it said "Is there anything else we can do for you?`), result.stdout);
    assert.match(result.stdout, /FAILED: 1 failure\(s\)\./);
  });

  it('an invalid flow exits 1 with each problem\'s node and field, and plays nothing; a malformed script exits 1 with its line', async () => {
    const flow = path.join(dir, 'broken.yaml');
    const invalid = await runCli(['flows', 'test', flow, '--script', path.join(TRIAGE, 'order-status.script')]);
    assert.equal(invalid.code, 1);
    assert.ok(invalid.stdout.includes(`${flow}: node lookup_failed_menu, /nodes/lookup_failed_menu/options/0/title: A button title is at most 20 characters`), invalid.stdout);
    assert.ok(!invalid.stdout.includes('customer:'), 'no script is played');
    const malformed = await runCli(['flows', 'test', path.join(TRIAGE, 'flow.yaml'), '--script', path.join(dir, 'malformed.script')]);
    assert.equal(malformed.code, 1);
    assert.ok(malformed.stdout.includes(`${path.join(dir, 'malformed.script')}:2: Not a script line`), malformed.stdout);
  });
});
