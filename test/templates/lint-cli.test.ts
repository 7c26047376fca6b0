import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../harness/cli.js';

describe('parley templates lint', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-templates-'));
    writeFileSync(path.join(dir, 'good.json'), readFileSync(path.join(ROOT, 'examples/templates/order_update.en_US.json')));
    mkdirSync(path.join(dir, 'marketing'));
    writeFileSync(
      path.join(dir, 'marketing', 'promo.json'),
      JSON.stringify({ name: 'promo', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'New arrivals at https://bit.ly/abc today.' }] }),
    );
    writeFileSync(path.join(dir, 'broken.json'), '{ "name": "x", ');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero on a folder with an error and prints the file, rule id, message and fix', async () => {
    const result = await runCli(['templates', 'lint', dir]);
    assert.equal(result.code, 1, result.stderr);
    const promo = path.join(dir, 'marketing', 'promo.json');
    assert.ok(result.stdout.includes(`${promo}: error link-shortener at /components/0/text: "https://bit.ly/abc" is a shortened link`), result.stdout);
    assert.ok(result.stdout.includes('fix: Use the full URL on your own domain.'));
    assert.ok(result.stdout.includes(`${promo}: warning marketing-opt-out-hint`), 'warnings are printed too');
    assert.ok(result.stdout.includes(`${path.join(dir, 'broken.json')}: error file-format`), 'a file that is not JSON is an error, not a crash');
    assert.ok(!result.stdout.includes('good.json'), 'a clean file prints nothing');
    assert.match(result.stdout, /3 template\(s\) checked: 2 error\(s\), 1 warning\(s\)\./);
  });

  it('exits 0 on the clean example folder, and prints JSON with --json', async () => {
    const clean = await runCli(['templates', 'lint', path.join(ROOT, 'examples/templates')]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const json = await runCli(['templates', 'lint', '--json', dir]);
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.errors, 2);
    assert.ok(parsed.files.some((f: { findings: Array<{ ruleId: string }> }) => f.findings.some((x) => x.ruleId === 'link-shortener')));
  });

  it('takes the variable-density ratio from --min-words-per-variable, then PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE, and refuses a bad one', async () => {
    const only = mkdtempSync(path.join(tmpdir(), 'parley-templates-d-'));
    try {
      // 2 placeholders, 5 words of fixed text: fine at the default ratio of 2, a warning at 3.
      writeFileSync(path.join(only, 'd.json'), JSON.stringify({ name: 'd', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, your parcel {{2}} is here.', example: { body_text: [['Asha', 'P1']] } }] }));
      const density = async (args: string[], env: Record<string, string> = {}) => {
        const result = await runCli(['templates', 'lint', '--json', ...args, only], env);
        return JSON.parse(result.stdout).files[0].findings.filter((f: { ruleId: string }) => f.ruleId === 'variable-density').length;
      };
      assert.equal(await density([]), 0);
      assert.equal(await density(['--min-words-per-variable', '3']), 1);
      assert.equal(await density([], { PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE: '3' }), 1);
      assert.equal(await density(['--min-words-per-variable', '0'], { PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE: '3' }), 0, 'the option wins over the variable');
      const bad = await runCli(['templates', 'lint', '--min-words-per-variable', 'many', only]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /--min-words-per-variable must be a number/);
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });

  it('has --help for the command group and each command', async () => {
    for (const command of [['templates'], ['templates', 'lint'], ['templates', 'rules'], ['templates', 'list']]) {
      const result = await runCli([...command, '--help']);
      assert.equal(result.code, 0, command.join(' '));
      assert.match(result.stdout, /Usage: parley templates/);
    }
  });

  it('fails on warnings only with --fail-on-warning, and on a missing folder', async () => {
    const only = mkdtempSync(path.join(tmpdir(), 'parley-templates-w-'));
    try {
      writeFileSync(path.join(only, 'w.json'), JSON.stringify({ name: 'w', language: 'en', category: 'MARKETING', components: [{ type: 'BODY', text: 'New arrivals are in store today.' }] }));
      assert.equal((await runCli(['templates', 'lint', only])).code, 0);
      assert.equal((await runCli(['templates', 'lint', '--fail-on-warning', only])).code, 1);
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
    const missing = await runCli(['templates', 'lint', path.join(dir, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such folder or file/);
  });
});
