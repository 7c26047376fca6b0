import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { WriteTurnstile } from './write-turnstile.js';

const settle = () => new Promise((r) => setImmediate(r));

it('gives turns in the order they were asked for, one holder at a time', async () => {
  const turnstile = new WriteTurnstile();
  const order: number[] = [];
  const first = await turnstile.enter();
  const waiting = [1, 2, 3].map((n) => turnstile.enter().then((release) => (order.push(n), release)));
  await settle();
  assert.deepEqual(order, [], 'nobody enters while the first holds its turn');
  first();
  for (const [n, turn] of waiting.entries()) {
    const release = await turn;
    assert.deepEqual(order, [1, 2, 3].slice(0, n + 1), 'the next waiter enters only when the previous gives its turn back');
    await settle();
    assert.equal(order.length, n + 1);
    release();
    release(); // a second release of the same turn changes nothing
  }
});

it('a reset lets every waiter through, and their releases leave the counters level', async () => {
  const turnstile = new WriteTurnstile();
  const held = await turnstile.enter();
  const waiters = [turnstile.enter(), turnstile.enter()];
  await settle();
  turnstile.reset();
  const releases = await Promise.all(waiters);
  for (const release of releases) release();
  held(); // the holder that was "lost" comes back late: nothing changes
  const again = await turnstile.enter();
  let second = false;
  const next = turnstile.enter().then((release) => ((second = true), release));
  await settle();
  assert.equal(second, false, 'after a reset, turns are one at a time again');
  again();
  (await next)();
});

it('a thread waiting for its turn keeps its event loop running, and is woken by another thread giving its turn back', async () => {
  const turnstile = new WriteTurnstile();
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const cells = new Int32Array(workerData);
     // The other thread's side, written out: take ticket 0 (the turn), hold it until told.
     Atomics.add(cells, 0, 1);
     parentPort.postMessage('holding');
     parentPort.once('message', () => { Atomics.add(cells, 1, 1); Atomics.notify(cells, 1); parentPort.postMessage('released'); });`,
    { eval: true, workerData: turnstile.buffer },
  );
  try {
    await once(worker, 'message');
    let entered = false;
    const turn = turnstile.enter().then((release) => ((entered = true), release));
    let ticks = 0;
    for (let i = 0; i < 5; i++) {
      await settle();
      ticks++;
    }
    assert.equal(ticks, 5, 'the event loop ran while waiting');
    assert.equal(entered, false, 'the other thread holds the turn');
    worker.postMessage('release');
    (await turn)();
    assert.equal(entered, true);
  } finally {
    await worker.terminate();
  }
});
