import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { renderConfigTable } from '../../scripts/config-table.js';
import { ROOT, runCli } from '../harness/cli.js';

describe('configuration', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'sqlite:./data/parley.db');
    assert.equal(config.masterKey, undefined);
    assert.ok(Object.isFrozen(config));
  });

  it('converts and validates values from the environment', () => {
    const config = loadConfig({ PARLEY_PORT: '9000', DATABASE_URL: 'postgres://u@h:5432/db', PARLEY_LOG_LEVEL: 'debug' });
    assert.equal(config.port, 9000);
    assert.equal(config.databaseUrl, 'postgres://u@h:5432/db');
    assert.equal(config.logLevel, 'debug');
  });

  it('names every bad variable, its problem and a good example', () => {
    assert.throws(
      () => loadConfig({ PARLEY_PORT: 'eighty', DATABASE_URL: 'mysql://x', PARLEY_LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 3);
        assert.match(error.message, /PARLEY_PORT="eighty": expected an integer from 0 to 65535\. Example: PARLEY_PORT=8080/);
        assert.match(error.message, /DATABASE_URL="mysql:\/\/x": expected a sqlite:<path> or postgres:\/\/ URL/);
        assert.match(error.message, /PARLEY_LOG_LEVEL="loud": expected one of fatal/);
        return true;
      },
    );
  });

  it('reads an optional JSON config file, with the environment taking precedence', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-config-'));
    const file = path.join(dir, 'parley.json');
    writeFileSync(file, JSON.stringify({ PARLEY_PORT: 7000, PARLEY_HOST: '0.0.0.0' }));
    const config = loadConfig({ PARLEY_CONFIG_FILE: file, PARLEY_HOST: '127.0.0.2' });
    assert.equal(config.port, 7000);
    assert.equal(config.host, '127.0.0.2');
    writeFileSync(file, JSON.stringify({ PARLEY_PROT: 7000 }));
    assert.throws(() => loadConfig({ PARLEY_CONFIG_FILE: file }), /PARLEY_PROT .*not a Parley variable/);
  });

  it('a bad value makes `parley start` exit 1 with a message naming the variable', async () => {
    const result = await runCli(['start'], { PARLEY_PORT: 'abc', PARLEY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'parley-')) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /PARLEY_PORT="abc"/);
    assert.match(result.stderr, /Example: PARLEY_PORT=8080/);
  });

  it("the README's configuration table is the one generated from the schema", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- config-table:start -->');
    const end = readme.indexOf('<!-- config-table:end -->');
    assert.ok(start >= 0 && end > start, 'README has the config-table markers');
    const inReadme = readme.slice(start + '<!-- config-table:start -->'.length, end).trim();
    assert.equal(inReadme, renderConfigTable().trim(), 'README config table is stale: run `npm run docs:config`');
  });
});
