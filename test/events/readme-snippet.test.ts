import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/cli.js';
import { signEvent } from '../../src/net/signature.js';

it('the verification snippet in the README accepts what Parley signs and refuses tampering', async () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Event webhooks'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'README has a js verification snippet under "Event webhooks"');
  const { verifyParley } = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { verifyParley: (s: string, h: string, b: string, t?: number) => boolean };
  const body = '{"id":"evt_1","type":"message.status","data":{}}';
  const header = signEvent('whsec_abc', Math.floor(Date.now() / 1000), body);
  assert.equal(verifyParley('whsec_abc', header, body), true);
  assert.equal(verifyParley('whsec_abc', header, body.replace('status', 'inbound')), false);
  assert.equal(verifyParley('whsec_other', header, body), false);
  assert.equal(verifyParley('whsec_abc', signEvent('whsec_abc', Math.floor(Date.now() / 1000) - 3600, body), body), false);
});
