// The dispatcher's per-recipient pacing, messaging-tier holds and throughput ceiling follow the
// capabilities of the sender's channel adapter, not the provider's name.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { pipeline, template } from './helpers.js';
import { FakeProvider, waitFor } from './fake-provider.js';

describeStorage('dispatch by channel capabilities', (fx) => {
  const threeToOne = async (p: Awaited<ReturnType<typeof pipeline>>, to: string) => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await p.send({ to, ...template('order_update', 'en_US', [`step ${i}`]) })).json().id);
    return ids;
  };

  it('paces one recipient to the pair rate when the channel has a pair rate limit', async (t) => {
    const p = await pipeline(fx, t, { config: { pairBurst: 1 } });
    const ids = await threeToOne(p, '+15550009001');
    await p.start();
    await waitFor(() => p.provider.calls.length === 1, 10_000, 'the first send');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(p.provider.calls.length, 1, 'the next ones wait about 6 s for the pair rate');
    assert.equal(await p.status(ids[1]), 'queued');
  });

  it('does not pace one recipient when the channel has no pair rate limit', async (t) => {
    const p = await pipeline(fx, t, { config: { pairBurst: 1 }, provider: new FakeProvider('cloud', undefined, { pairRateLimit: false }) });
    const ids = await threeToOne(p, '+15550009002');
    await p.start();
    await waitFor(() => p.provider.calls.length === 3, 3_000, 'three sends without pair pacing');
    assert.deepEqual(p.provider.idsSent(), ids, 'in order');
  });

  it('does not hold past the messaging limit when the channel has no messaging tiers', async (t) => {
    const p = await pipeline(fx, t, { sender: { messagingLimit: 1 }, provider: new FakeProvider('cloud', undefined, { tierLimit: false }) });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await p.send({ to: `+1555000903${i}`, ...template() })).json().id);
    await p.start();
    await waitFor(async () => (await Promise.all(ids.map(p.status))).every((s) => s === 'accepted'), 10_000, 'three recipients reached');
  });

  it("caps a sender's rate at the channel's maxThroughput", async (t) => {
    const p = await pipeline(fx, t, { sender: { mps: 1000 }, provider: new FakeProvider('cloud', undefined, { maxThroughput: 1 }), config: { throughputHeadroom: 1 } });
    for (let i = 0; i < 4; i++) await p.send({ to: `+1555000904${i}`, ...template() });
    await p.start();
    await waitFor(() => p.provider.calls.length >= 1, 10_000, 'the first send');
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(p.provider.calls.length <= 3, `about one a second, not a thousand (${p.provider.calls.length} sent)`);
    await waitFor(() => p.provider.calls.length === 4, 10_000, 'all four, paced');
  });
});
