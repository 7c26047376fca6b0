import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { waitFor } from '../outbound/fake-provider.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { emulatorPipeline, supportTeamWithOnlineAgent } from './emulator-pipeline.js';
import { customerSends } from '../../src/emulator/customers/inbound-cloud.js';
import { HOUR } from '../../src/shared/time.js';

const CSAT = {
  name: 'csat_after_chat',
  language: 'en_US',
  category: 'UTILITY' as const,
  components: [
    { type: 'BODY', text: 'Thanks for talking to us. How did we do?' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Great' }, { type: 'QUICK_REPLY', text: 'OK' }, { type: 'QUICK_REPLY', text: 'Poor' }] },
  ],
};
const FOLLOW_UP = { name: 'follow_up', language: 'en_US', category: 'UTILITY' as const, components: [{ type: 'BODY', text: 'Hello {{1}}, we have news about your request.', example: { body_text: [['Ana']] } }] };

// Issue 15's acceptance, end to end through the emulator (real Cloud API adapter, dispatcher, signed
// webhooks) on both dialects: a customer writes; the conversation opens pending in the sender's team and
// the assignment engine gives it to the online agent; the agent replies inside the window (delivered);
// the customer answers; the agent resolves; the CSAT question goes as an interactive message and the
// customer's tap is its score. Then the same 25 hours after the customer's message: free text is refused
// with the templates the agent can use, a template reply goes out, and the CSAT goes by template.
describeStorage('Conversations, end to end: assignment, replies in and out of the window, CSAT', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      appSecret: APP_SECRET,
      seed: 16,
      config: {
        numbers: ['106540352245001', '106540352245002'].map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: 1000, dailyUniqueRecipients: null } })),
        templates: [CSAT, FOLLOW_UP].map((t) => ({ ...t, status: 'APPROVED' })),
        customers: [],
        personas: { rater: { stopMarketingShare: 0, pressButtonShare: 1, replyShare: 0, replyText: '', replyDelayMs: [10, 30] } },
        behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [5, 20], read: [5, 20] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0, defaultPersona: 'rater' },
      },
    });
  });
  after(() => emulator.close());

  async function scene(t: { after(fn: () => unknown): void }, number: 0 | 1) {
    const { p, phoneNumberId, sentToEmulator } = await emulatorPipeline(fx, t, emulator, number);
    for (const tpl of [CSAT, FOLLOW_UP]) await liveTemplate(p.ctx, p.workspaceId, { wabaId: emulator.info.wabaId, name: tpl.name, language: tpl.language, components: tpl.components as never });
    // The sender's conversations go to Support, whose queue is balanced; one agent, online.
    const { key, call, ok, get, team, agent, asAgent } = await supportTeamWithOnlineAgent(p, number);
    await ok('PUT', '/v1/conversations/settings/survey', { enabled: true, kind: 'csat', question: { default: 'How did we do?', byLanguage: {} }, template: { name: CSAT.name, language: 'en_US', quickReplyScores: [5, 3, 1] }, commentPrompt: null, answerWindowHours: 24 });
    await p.start();

    const writes = (from: string, body: string) => customerSends(emulator.core, { phoneNumberId, from, type: 'text', payload: { body } });
    const events = async (id: string) => ((await get(`/v1/conversations/${id}/events`)).data as Array<{ type: string; actor: string; reason: string | null }>).map((e) => e.type);
    return { p, key, get, ok, call, team, agent, asAgent, sentToEmulator, writes, events };
  }

  it('inside the window: opened pending, assigned to the online agent, reply delivered, customer answers, resolved, CSAT asked as an interactive message and tapped', async (t) => {
    const s = await scene(t, 0);
    s.writes('15550007001', 'Where is my parcel?');
    let conversation: { id: string; state: string; owner: { type: string; userId: string | null }; teamId: string } | undefined;
    await waitFor(async () => (conversation = (await s.get('/v1/conversations')).data[0])?.state === 'active', 10_000, 'the conversation assigned');
    assert.equal(conversation!.teamId, s.team.id);
    assert.deepEqual(conversation!.owner, { type: 'user', userId: s.agent.id });
    const id = conversation!.id;
    assert.deepEqual((await s.events(id)).slice(0, 3), ['conversation.opened', 'conversation.message_in', 'conversation.assigned'], 'it opened pending, then the engine assigned it');

    const reply = await s.ok('POST', `/v1/conversations/${id}/messages`, { type: 'text', text: { body: 'It leaves today.' } }, s.asAgent);
    const delivered = await s.sentToEmulator(reply.messageId);
    assert.equal(delivered.type, 'text');
    assert.ok((await s.get(`/v1/conversations/${id}`)).firstResponseAt, 'the agent\'s reply is the first response');

    s.writes('15550007001', 'Thank you!');
    await waitFor(async () => (await s.events(id)).filter((e) => e === 'conversation.message_in').length === 2, 10_000, 'the customer\'s answer');
    await s.ok('POST', `/v1/conversations/${id}/resolve`, {}, s.asAgent);
    const asked = (await s.get(`/v1/conversations/${id}/surveys`)).data[0];
    assert.deepEqual([asked.state, asked.via], ['asked', 'interactive']);
    assert.equal((await s.sentToEmulator(asked.messageId)).type, 'interactive');
    await waitFor(async () => (await s.get(`/v1/conversations/${id}/surveys`)).data[0].state === 'answered', 15_000, 'the tapped score');
    assert.equal((await s.get(`/v1/conversations/${id}`)).state, 'resolved', 'the answer does not reopen it');
  });

  it('25 hours later: free text is refused with the usable templates, a template reply goes out, and the CSAT goes by template', async (t) => {
    const s = await scene(t, 1);
    s.writes('15550007002', 'Any news?');
    let id = '';
    await waitFor(async () => {
      const c = (await s.get('/v1/conversations')).data[0];
      id = c?.state === 'active' ? c.id : '';
      return id !== '';
    }, 10_000, 'the conversation assigned');
    // 25 hours pass in Parley's record of the window (the emulator, like Meta, takes a template at any time).
    await s.p.ctx.db.updateTable('service_windows').set({ last_inbound_at: Date.now() - 25 * HOUR }).where('sender_id', '=', s.p.sender.id).execute();

    const refused = await s.call('POST', `/v1/conversations/${id}/messages`, s.asAgent, { type: 'text', text: { body: 'Still on its way.' } });
    assert.equal(refused.statusCode, 422, refused.body);
    const error = refused.json().error;
    assert.equal(error.code, 'CONVERSATION_WINDOW_CLOSED');
    const offered = error.details.templates as Array<{ name: string; parameters: Array<{ component: string }> }>;
    const followUp = offered.find((x) => x.name === FOLLOW_UP.name);
    assert.ok(followUp, `the usable templates are offered: ${JSON.stringify(offered.map((x) => x.name))}`);
    assert.deepEqual(followUp.parameters.map((x) => x.component), ['body'], 'with the parameters they need');
    assert.equal((await s.get(`/v1/conversations/${id}/messages`)).data.filter((m: { direction: string }) => m.direction === 'outbound').length, 0, 'nothing was sent');

    const templated = await s.ok('POST', `/v1/conversations/${id}/messages`, { type: 'template', template: { name: FOLLOW_UP.name, language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } }, s.asAgent);
    assert.equal((await s.sentToEmulator(templated.messageId)).templateName, FOLLOW_UP.name);

    await s.ok('POST', `/v1/conversations/${id}/resolve`, {}, s.asAgent);
    const asked = (await s.get(`/v1/conversations/${id}/surveys`)).data[0];
    assert.deepEqual([asked.state, asked.via], ['asked', 'template']);
    assert.equal((await s.sentToEmulator(asked.messageId)).templateName, CSAT.name);
    await waitFor(async () => (await s.get(`/v1/conversations/${id}/surveys`)).data[0].state === 'answered', 15_000, 'the tapped quick reply');
  });
});
