import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './logger.js';

it('redacts phone numbers, message bodies, names and secrets from log lines, and keeps ids', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  logger.info({ message: { id: 'msg_1', to: '+5511987654321', body: 'your code is 123456', name: 'Ana' }, sender: { accessToken: 'EAAG-secret', id: 'snd_1' }, req: { headers: { authorization: 'Bearer prl_x' } } }, 'sent');
  const line = lines.join('');
  for (const secret of ['5511987654321', '123456', 'Ana', 'EAAG-secret', 'prl_x']) assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
  assert.match(line, /msg_1/);
  assert.match(line, /snd_1/);
  assert.match(line, /\[redacted\]/);
});
