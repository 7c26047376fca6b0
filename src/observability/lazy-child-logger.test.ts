import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from './logger.js';
import { lazyChildLogger } from './lazy-child-logger.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const parent = createLogger({ level: 'info', destination });
  let children = 0;
  const child = parent.child.bind(parent);
  parent.child = ((...args: Parameters<Logger['child']>) => {
    children++;
    return child(...args);
  }) as Logger['child'];
  return { parent, lines, children: () => children };
}

it('makes the request\'s pino child only when a line is written, bound to the request id and redacted', async () => {
  const { parent, lines, children } = capture();
  const log = lazyChildLogger(parent, { request_id: 'req_1' }, {});
  log.debug('below the level');
  assert.equal(log.level, 'info');
  assert.equal(children(), 0, 'nothing logged, no child made');
  log.warn({ route: '/x', detail: { to: '+15550001111' } }, 'request failed');
  log.error('again');
  await new Promise((r) => setImmediate(r));
  assert.equal(children(), 1, 'one child, made once');
  assert.equal(lines.length, 2);
  assert.equal(lines[0].request_id, 'req_1');
  assert.equal(lines[0].msg, 'request failed');
  assert.deepEqual(lines[0].detail, { to: '[redacted]' });
  assert.equal(lines[1].request_id, 'req_1');
});

it('a level set on the request logger applies to it alone', async () => {
  const { parent, lines } = capture();
  const log = lazyChildLogger(parent, { request_id: 'req_2' }, {});
  log.level = 'debug';
  log.debug('now visible');
  parent.debug('parent still at info');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(lines.map((l) => l.msg), ['now visible']);
});
