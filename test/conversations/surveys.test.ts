import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import { ManualClock, fixture, insertSender, postCloud, processAll, webhookContext, withMessageId } from '../webhooks/helpers.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { HOUR } from '../../src/shared/time.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import { askSurveyOnResolution } from '../../src/conversations/survey-ask.js';
import { customerWrites, currentConversation } from './helpers.js';

const WABA = '102290129340398';

/** A customer taps a list row (`list_reply`), a reply button (`button_reply`) or a template's quick reply (`button`), by signed Cloud API webhook. */
async function customerTaps(app: ParleyApp, ctx: ParleyContext, input: { from: string; phoneNumberId: string; kind: 'list_reply' | 'button_reply' | 'quick_reply'; id: string; title: string }) {
  const wamid = `wamid.tap.${randomBytes(6).toString('hex')}`;
  const file = input.kind === 'quick_reply' ? 'cloud-button-quick-reply.json' : 'cloud-interactive-list-reply.json';
  const payload = JSON.parse(withMessageId(fixture(file), wamid));
  const value = payload.entry[0].changes[0].value;
  value.contacts[0].wa_id = input.from;
  value.metadata.phone_number_id = input.phoneNumberId;
  const message = value.messages[0];
  message.from = input.from;
  message.timestamp = String(Math.floor(ctx.clock.now() / 1000));
  if (input.kind === 'quick_reply') message.button = { payload: input.id, text: input.title };
  else if (input.kind === 'list_reply') message.interactive = { type: 'list_reply', list_reply: { id: input.id, title: input.title } };
  else message.interactive = { type: 'button_reply', button_reply: { id: input.id, title: input.title } };
  const res = await postCloud(app, JSON.stringify(payload));
  assert.equal(res.statusCode, 200, res.body);
  await processAll(ctx);
}

const surveySettings = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  kind: 'csat',
  question: { default: 'How did we do?', byLanguage: {} },
  template: null,
  commentPrompt: null,
  answerWindowHours: 24,
  ...over,
});

describeStorage('CSAT and NPS on resolution', (fx) => {
  let numbers = 0;
  const setUp = async (settings: Record<string, unknown>) => {
    // One database per dialect: each test's sender has its own number.
    const phoneNumberId = `10654035224${String(4000 + numbers++)}`;
    const clock = new ManualClock();
    const ctx = webhookContext(fx, {}, clock);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const put = await app.inject({ method: 'PUT', url: '/v1/conversations/settings/survey', headers: { authorization }, payload: settings });
    assert.equal(put.statusCode, 200, put.body);
    const auth = { authorization };
    const get = async (url: string) => {
      const res = await app.inject({ url, headers: auth });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const resolve = async (id: string) => {
      const res = await app.inject({ method: 'POST', url: `/v1/conversations/${id}/resolve`, headers: auth });
      assert.equal(res.statusCode, 200, res.body);
    };
    const open = async (from: string) => {
      await customerWrites(app, ctx, { from, text: 'My order is late', phoneNumberId });
      const contactId = (await fx.db.selectFrom('messages').select('contact_id').where('workspace_id', '=', workspaceId).where('direction', '=', 'inbound').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).contact_id!;
      return { contactId, conversation: (await currentConversation(app, auth, contactId))! };
    };
    const outbound = (contactId: string) => fx.db.selectFrom('messages').selectAll().where('contact_id', '=', contactId).where('direction', '=', 'outbound').orderBy('created_at').execute();
    const writes = (from: string, text: string) => customerWrites(app, ctx, { from, text, phoneNumberId });
    const taps = (input: Omit<Parameters<typeof customerTaps>[2], 'phoneNumberId'>) => customerTaps(app, ctx, { ...input, phoneNumberId });
    return { clock, ctx, app, workspaceId, auth, get, resolve, open, outbound, writes, taps };
  };

  it('inside the window: resolution asks CSAT as a list; the tapped row is the score, a comment follows sealed, and neither reopens the conversation', async () => {
    const t = await setUp(surveySettings({ commentPrompt: 'Anything you would like to add?' }));
    const from = '16505550301';
    const { contactId, conversation } = await t.open(from);
    await t.resolve(conversation.id);

    const [survey] = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data;
    assert.deepEqual([survey.state, survey.via, survey.kind, survey.cycle], ['asked', 'interactive', 'csat', 1]);
    const [asked] = await t.outbound(contactId);
    assert.equal(asked!.id, survey.messageId);
    assert.equal(asked!.type, 'interactive');
    assert.equal(asked!.status, 'queued', 'accepted into the outbox: the window gate let it through');
    const metadata = JSON.parse(asked!.metadata);
    assert.deepEqual([metadata.conversationId, metadata.cycle, metadata.survey], [conversation.id, 1, survey.id]);
    const view = await t.get(`/v1/messages/${asked!.id}`);
    const rows = view.content.payload.action.sections.flatMap((s: { rows: unknown[] }) => s.rows);
    assert.equal(rows.length, 5);
    const four = rows.find((r: { id: string }) => r.id === `svy:${survey.id}:4`);
    assert.ok(four, 'each row id names the survey and its score');

    // The resolution handled again (the queue is at least once): still one survey, one message.
    const events = (await t.get(`/v1/conversations/${conversation.id}/events`)).data;
    const resolvedEvent = events.find((e: { type: string }) => e.type === 'conversation.resolved');
    await askSurveyOnResolution({ send: async () => assert.fail('sent twice'), peer: async () => undefined })(t.ctx, {
      type: 'conversation.changed', workspaceId: t.workspaceId, conversationId: conversation.id, senderId: conversation.senderId, contactId, seq: resolvedEvent.seq, event: 'conversation.resolved', actor: 'system', reason: null,
      teamId: null, cycle: 1, state: 'resolved', ownerType: 'nobody', ownerUserId: null, data: {}, at: t.clock.now(),
    });
    assert.equal((await t.outbound(contactId)).length, 1);

    t.clock.advance(10 * 60 * 1000);
    await t.taps({ from, kind: 'list_reply', id: four.id, title: four.title });
    const answered = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data[0];
    assert.deepEqual([answered.state, answered.score], ['answered', 4]);
    let c = await t.get(`/v1/conversations/${conversation.id}`);
    assert.deepEqual([c.state, c.cycle], ['resolved', 1], 'the answer does not reopen the conversation');
    const sent = await t.outbound(contactId);
    assert.equal(sent.length, 2, 'the comment prompt followed the score');
    assert.equal(sent[1]!.type, 'text');

    const words = 'Quick and kind, thank you';
    await t.writes(from, words);
    const commented = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data[0];
    assert.equal(commented.comment, words);
    assert.equal(commented.commented, true);
    const stored = await fx.db.selectFrom('conversation_surveys').select('comment').where('id', '=', survey.id).executeTakeFirstOrThrow();
    assert.ok(stored.comment && !stored.comment.includes('Quick'), 'the comment is sealed at rest');
    c = await t.get(`/v1/conversations/${conversation.id}`);
    assert.deepEqual([c.state, c.cycle], ['resolved', 1], 'nor does the comment');
    const types = (await t.get(`/v1/conversations/${conversation.id}/events`)).data.map((e: { type: string }) => e.type);
    assert.deepEqual(types.slice(-6), ['conversation.resolved', 'conversation.survey_sent', 'conversation.message_in', 'conversation.survey_answered', 'conversation.message_in', 'conversation.survey_commented']);

    // A later message is the customer's again: it reopens the conversation as a new cycle.
    await t.writes(from, 'One more question');
    c = await t.get(`/v1/conversations/${conversation.id}`);
    assert.deepEqual([c.state, c.cycle], ['pending', 2]);

    const sums = await t.get('/v1/surveys');
    assert.deepEqual(sums.csat, { answered: 1, average: 4, satisfiedPercent: 100 });

    // Erasing the contact destroys the comment (their words); the score stays as a figure.
    const erased = await t.app.inject({ method: 'DELETE', url: `/v1/contacts/${contactId}`, headers: t.auth });
    assert.equal(erased.statusCode, 200, erased.body);
    const afterErasure = await fx.db.selectFrom('conversation_surveys').select(['comment', 'score']).where('id', '=', survey.id).executeTakeFirstOrThrow();
    assert.deepEqual(afterErasure, { comment: null, score: 4 });
  });

  it('after 25 hours the window is closed: CSAT goes by the approved template, whose quick reply is the score', async () => {
    const t = await setUp(surveySettings({ template: { name: 'csat_after_chat', language: 'en_US', quickReplyScores: [5, 3, 1] } }));
    await liveTemplate(t.ctx, t.workspaceId, {
      wabaId: WABA,
      name: 'csat_after_chat',
      language: 'en_US',
      components: [
        { type: 'BODY', text: 'Thanks for talking to us. How did we do?' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Great' }, { type: 'QUICK_REPLY', text: 'OK' }, { type: 'QUICK_REPLY', text: 'Poor' }] },
      ] as never,
    });
    const from = '16505550302';
    const { contactId, conversation } = await t.open(from);
    t.clock.advance(25 * HOUR);
    await t.resolve(conversation.id);

    const [survey] = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data;
    assert.deepEqual([survey.state, survey.via], ['asked', 'template'], JSON.stringify(survey));
    const [asked] = await t.outbound(contactId);
    assert.deepEqual([asked!.type, asked!.template_name, asked!.status], ['template', 'csat_after_chat', 'queued']);

    t.clock.advance(HOUR);
    await t.taps({ from, kind: 'quick_reply', id: `svy:${survey.id}:5`, title: 'Great' });
    const answered = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data[0];
    assert.deepEqual([answered.state, answered.score], ['answered', 5]);
    const c = await t.get(`/v1/conversations/${conversation.id}`);
    assert.deepEqual([c.state, c.cycle], ['resolved', 1]);
  });

  it('after 25 hours with no template configured: the survey is skipped and nothing is sent', async () => {
    const t = await setUp(surveySettings({ kind: 'nps' }));
    const { contactId, conversation } = await t.open('16505550303');
    t.clock.advance(25 * HOUR);
    await t.resolve(conversation.id);
    const [survey] = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data;
    assert.deepEqual([survey.state, survey.reason, survey.messageId], ['skipped', 'window_closed_no_template', null]);
    assert.equal((await t.outbound(contactId)).length, 0);
  });

  it('NPS inside the window: a question inviting a number; the typed number is the score and leaves the conversation resolved', async () => {
    const t = await setUp(surveySettings({ kind: 'nps', question: { default: 'Would you recommend us?', byLanguage: {} } }));
    const from = '16505550304';
    const { contactId, conversation } = await t.open(from);
    await t.resolve(conversation.id);
    const [asked] = await t.outbound(contactId);
    assert.equal(asked!.type, 'text');
    t.clock.advance(60 * 1000);
    await t.writes(from, '9');
    const [survey] = (await t.get(`/v1/conversations/${conversation.id}/surveys`)).data;
    assert.deepEqual([survey.state, survey.via, survey.score], ['answered', 'text', 9]);
    assert.equal((await t.get(`/v1/conversations/${conversation.id}`)).state, 'resolved');
    const sums = await t.get('/v1/surveys');
    assert.deepEqual(sums.nps, { answered: 1, promoters: 1, passives: 0, detractors: 0, score: 100 });
  });

  it('a disabled survey asks nothing; settings off the scale are refused with the field named', async () => {
    const t = await setUp(surveySettings({ enabled: false }));
    const { contactId, conversation } = await t.open('16505550305');
    await t.resolve(conversation.id);
    assert.deepEqual((await t.get(`/v1/conversations/${conversation.id}/surveys`)).data, []);
    assert.equal((await t.outbound(contactId)).length, 0);
    const bad = await t.app.inject({ method: 'PUT', url: '/v1/conversations/settings/survey', headers: t.auth, payload: surveySettings({ template: { name: 'x', language: 'en', quickReplyScores: [5, 0] } }) });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual([bad.json().error.code, bad.json().error.field], ['SURVEY_SETTINGS_INVALID', '/template/quickReplyScores/1']);
    const read = await t.get('/v1/conversations/settings/survey');
    assert.equal(read.enabled, false);
  });
});
