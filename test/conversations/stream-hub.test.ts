import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from './helpers.js';
import { StreamHub, type StreamClient } from '../../src/conversations/stream-hub.js';
import { workspaceEvents } from '../../src/conversations/conversation-store.js';
import { HEARTBEAT_MS, heartbeatFrame } from '../../src/conversations/stream-frames.js';

/** A stream client that keeps the frames it is given; `refuse` makes it behave as one that fell behind. */
function recorder(refuse = false) {
  const frames: string[] = [];
  let ended = false;
  let attempts = 0;
  const client: StreamClient = {
    filter: { kind: 'all' },
    write: (frame) => (attempts++, refuse ? false : (frames.push(frame), true)),
    end: () => (ended = true),
  };
  // A write may hold several frames.
  const ids = () => frames.join('').split('\n\n').filter((f) => f.startsWith('id: ')).map((f) => Number(f.slice(4, f.indexOf('\n'))));
  return { client, frames, ids, ended: () => ended, attempts: () => attempts };
}

async function until(done: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeStorage('Live stream: the shared reader of a workspace', (fx) => {
  it('a stream resuming far behind catches up page by page while events keep coming, then follows the feed: each event once, in order', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId: '106500000000901' });
    const write = (from: string) => customerWrites(app, ctx, { from, phoneNumberId: '106500000000901' });
    for (let i = 0; i < 4; i++) await write(`1650555040${i}`);
    const hub = new StreamHub(fx.db, { pollMs: 15, maxAgeMs: 60_000, batch: 2 });
    const live = recorder();
    const detachLive = await hub.attach(workspaceId, live.client, null);
    const behind = recorder();
    const attaching = hub.attach(workspaceId, behind.client, 0);
    await write('16505550410');
    const detachBehind = await attaching;
    await write('16505550411');
    await write('16505550400');
    const all = (await workspaceEvents(fx.db, workspaceId, 0, 1000)).map((e) => e.seq);
    await until(() => behind.ids().at(-1) === all.at(-1) && live.ids().at(-1) === all.at(-1));
    assert.deepEqual(behind.ids(), all);
    assert.deepEqual(live.ids(), all.slice(8), 'from the head at its start: the four first customers\' events are before it');
    assert.equal(hub.connections(workspaceId), 2);
    detachLive();
    detachBehind();
    assert.equal(hub.connections(workspaceId), 0);
  });

  it('a quiet stream gets a heartbeat; one past its maximum age is ended; one that fell behind gets nothing more', async () => {
    const { workspaceId } = await fx.workspace();
    let now = 1_000_000;
    const hub = new StreamHub(fx.db, { pollMs: 10, maxAgeMs: 10 * HEARTBEAT_MS, now: () => now });
    const quiet = recorder();
    const slow = recorder(true);
    await hub.attach(workspaceId, quiet.client, null);
    await hub.attach(workspaceId, slow.client, null);
    now += HEARTBEAT_MS;
    await until(() => quiet.frames.includes(heartbeatFrame));
    now += HEARTBEAT_MS;
    await until(() => quiet.frames.filter((f) => f === heartbeatFrame).length === 2);
    assert.equal(quiet.ended(), false);
    assert.equal(slow.attempts(), 1, 'refused once, then left alone until its socket closes');
    now += 10 * HEARTBEAT_MS;
    await until(() => quiet.ended());
    hub.closeAll();
    assert.equal(hub.connections(workspaceId), 0);
  });
});
