import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { grantMarketing, pipeline, template } from './helpers.js';
import { waitFor } from './fake-provider.js';

describeStorage('priority lanes', (fx) => {
  it('an OTP accepted behind 10,000 queued marketing messages is sent before the backlog', async (t) => {
    const p = await pipeline(fx, t, { sender: { mps: 200 } });
    await grantMarketing(p.ctx, p.workspaceId, Array.from({ length: 10_000 }, (_, n) => `+1555${String(n).padStart(7, '0')}`));
    for (let b = 0; b < 10; b++) {
      const messages = Array.from({ length: 1000 }, (_, i) => ({ to: `+1555${String(b * 1000 + i).padStart(7, '0')}`, category: 'marketing', ...template('promo_offer') }));
      const res = await p.app.inject({ method: 'POST', url: '/v1/messages:batch', headers: { authorization: p.authorization }, payload: { messages } });
      assert.equal(res.json().accepted, 1000);
    }
    await p.start();
    await waitFor(() => p.provider.calls.length >= 50, 20_000, 'the backlog draining');
    const otp = (await p.send({ to: '+15559999999', category: 'otp', ...template('otp_code', 'en_US', ['123456']) })).json();
    // Counted from the OTP's commit (the answer), not from the request: the accept itself takes time.
    const sentBeforeOtp = p.provider.calls.length;
    await waitFor(() => p.provider.idsSent().includes(otp.id), 10_000, 'the OTP sent');
    const overtakenBy = p.provider.idsSent().indexOf(otp.id) - sentBeforeOtp;
    // Only what was already claimed when the OTP was committed may go before it: one dispatch round at
    // most, and a round holds at most 50 ms of the sender's throughput (10 messages at 200 msg/s).
    assert.ok(overtakenBy <= 10, `${overtakenBy} marketing messages went out between the OTP's accept and its send`);
    const queued = await p.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('sender_id', '=', p.sender.id).where('status', '=', 'queued').executeTakeFirstOrThrow();
    assert.ok(Number(queued.n) > 9000, 'the marketing backlog is still there: the OTP did not wait for it');
  });
});
