import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { waitFor } from '../outbound/fake-provider.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { emulatorPipeline } from './emulator-pipeline.js';
import { customerSends } from '../../src/emulator/customers/inbound-cloud.js';
import { HOUR } from '../../src/shared/time.js';

const CSAT_TEMPLATE = {
  name: 'csat_after_chat',
  language: 'en_US',
  category: 'UTILITY' as const,
  components: [
    { type: 'BODY', text: 'Thanks for talking to us. How did we do?' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Great' }, { type: 'QUICK_REPLY', text: 'OK' }, { type: 'QUICK_REPLY', text: 'Poor' }] },
  ],
};

// The whole path through the emulator: the customer writes to the emulated number, the conversation is
// resolved, the survey is sent by the dispatcher to the emulator (which applies Meta's rules to it and
// delivers it), and a scripted customer taps a row or a quick reply, which comes back as a signed webhook.
describeStorage('CSAT through the emulator', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      appSecret: APP_SECRET,
      seed: 15,
      config: {
        numbers: ['106540352243001', '106540352243002'].map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: 1000, dailyUniqueRecipients: null } })),
        templates: [{ ...CSAT_TEMPLATE, status: 'APPROVED' }],
        customers: [],
        // Every customer taps one of the choices of any message that has some, shortly after delivery.
        personas: { rater: { stopMarketingShare: 0, pressButtonShare: 1, replyShare: 0, replyText: '', replyDelayMs: [10, 30] } },
        behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [5, 20], read: [5, 20] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0, defaultPersona: 'rater' },
      },
    });
  });
  after(() => emulator.close());

  const setUp = async (t: { after(fn: () => unknown): void }, number: 0 | 1) => {
    const { p, phoneNumberId, sentToEmulator } = await emulatorPipeline(fx, t, emulator, number);
    await liveTemplate(p.ctx, p.workspaceId, { wabaId: emulator.info.wabaId, name: CSAT_TEMPLATE.name, language: CSAT_TEMPLATE.language, components: CSAT_TEMPLATE.components as never });
    const auth = { authorization: p.authorization };
    const put = await p.app.inject({
      method: 'PUT', url: '/v1/conversations/settings/survey', headers: auth,
      payload: { enabled: true, kind: 'csat', question: { default: 'How did we do?', byLanguage: {} }, template: { name: CSAT_TEMPLATE.name, language: 'en_US', quickReplyScores: [5, 3, 1] }, commentPrompt: null, answerWindowHours: 24 },
    });
    assert.equal(put.statusCode, 200, put.body);
    await p.start();
    const get = async (url: string) => (await p.app.inject({ url, headers: auth })).json();
    /** The customer writes through the emulator; returns their conversation once Parley has it. */
    const customerWrites = async (from: string) => {
      customerSends(emulator.core, { phoneNumberId, from, type: 'text', payload: { body: 'Where is my parcel?' } });
      let conversation: { id: string; contactId: string } | undefined;
      await waitFor(async () => (conversation = (await get('/v1/conversations')).data[0]) !== undefined, 10_000, 'the conversation');
      return conversation!;
    };
    const resolve = async (id: string) => assert.equal((await p.app.inject({ method: 'POST', url: `/v1/conversations/${id}/resolve`, headers: auth })).statusCode, 200);
    const surveyOf = async (id: string) => (await get(`/v1/conversations/${id}/surveys`)).data[0];
    return { p, get, customerWrites, resolve, surveyOf, sentToEmulator };
  };

  it('inside the window the list is accepted by the emulator; the row the customer taps is the score, and the conversation stays resolved', async (t) => {
    const s = await setUp(t, 0);
    const conversation = await s.customerWrites('15550006001');
    await s.resolve(conversation.id);
    const asked = await s.surveyOf(conversation.id);
    assert.deepEqual([asked.state, asked.via], ['asked', 'interactive']);
    const delivered = await s.sentToEmulator(asked.messageId);
    assert.equal(delivered.type, 'interactive');
    assert.equal((delivered.request.interactive as { type: string }).type, 'list');

    await waitFor(async () => (await s.surveyOf(conversation.id)).state === 'answered', 15_000, 'the tapped row');
    const answered = await s.surveyOf(conversation.id);
    assert.ok(answered.score >= 1 && answered.score <= 5);
    const c = await s.get(`/v1/conversations/${conversation.id}`);
    assert.deepEqual([c.state, c.cycle], ['resolved', 1]);
  });

  it('after 25 hours the template goes instead; the quick reply tapped in the emulator carries the score back', async (t) => {
    const s = await setUp(t, 1);
    const conversation = await s.customerWrites('15550006002');
    // 25 hours pass in Parley's record of the window (the emulator, like Meta, accepts a template at any time).
    await s.p.ctx.db.updateTable('service_windows').set({ last_inbound_at: Date.now() - 25 * HOUR }).where('sender_id', '=', s.p.sender.id).execute();
    await s.resolve(conversation.id);
    const asked = await s.surveyOf(conversation.id);
    assert.deepEqual([asked.state, asked.via], ['asked', 'template']);
    const delivered = await s.sentToEmulator(asked.messageId);
    assert.equal(delivered.templateName, CSAT_TEMPLATE.name);

    await waitFor(async () => (await s.surveyOf(conversation.id)).state === 'answered', 15_000, 'the tapped quick reply');
    assert.ok([5, 3, 1].includes((await s.surveyOf(conversation.id)).score));
    assert.equal((await s.get(`/v1/conversations/${conversation.id}`)).state, 'resolved');
  });
});
