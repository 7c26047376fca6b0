import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFrame, streamCursor, streamShows, itemFrame, itemShows } from './stream-frames.js';
import type { ConversationEvent } from './conversation-store.js';

const event = (over: Partial<ConversationEvent> = {}): ConversationEvent => ({
  seq: 7,
  workspaceId: 'wks_1',
  conversationId: 'cnv_1',
  teamId: 'tm_a',
  type: 'conversation.assigned',
  actor: 'user:usr_1',
  reason: null,
  cycle: 1,
  data: { userId: 'usr_2' },
  at: Date.UTC(2026, 0, 1),
  ...over,
});

test('a frame names the seq as its id and the event type, and carries the event view as one data line', () => {
  const frame = eventFrame(event());
  const lines = frame.split('\n');
  assert.equal(lines[0], 'id: 7');
  assert.equal(lines[1], 'event: conversation.assigned');
  assert.ok(lines[2]!.startsWith('data: '));
  assert.deepEqual(JSON.parse(lines[2]!.slice(6)), { seq: 7, conversationId: 'cnv_1', type: 'conversation.assigned', actor: 'user:usr_1', reason: null, teamId: 'tm_a', cycle: 1, data: { userId: 'usr_2' }, at: '2026-01-01T00:00:00.000Z' });
  assert.ok(frame.endsWith('\n\n'));
});

test('a reason with line breaks stays inside one data line', () => {
  const frame = eventFrame(event({ type: 'conversation.escalated', reason: 'angry\ncustomer\r\nagain' }));
  assert.equal(frame.split('\n').length, 5);
});

test('an agent sees their teams\' events only; no team is for principals not limited to teams', () => {
  const teams = { kind: 'teams' as const, teamIds: ['tm_a'] };
  assert.equal(streamShows(teams, { teamId: 'tm_a' }), true);
  assert.equal(streamShows(teams, { teamId: 'tm_b' }), false);
  assert.equal(streamShows(teams, { teamId: null }), false);
  assert.equal(streamShows({ kind: 'none' }, { teamId: 'tm_a' }), false);
  assert.equal(streamShows({ kind: 'all' }, { teamId: null }), true);
});

test('a notice reaches a principal holding its permission, whatever their teams; its frame carries its ids and states', () => {
  const notice = { seq: 7, workspaceId: 'ws_1', type: 'template.changed', permission: 'templates.read' as const, data: { templateId: 'tpl_1', providerStatus: 'PAUSED', quality: 'RED' }, at: 1 };
  assert.equal(itemShows({ filter: { kind: 'none' }, permissions: new Set(['templates.read']) }, notice), true);
  assert.equal(itemShows({ filter: { kind: 'all' }, permissions: new Set(['conversations.read']) }, notice), false);
  assert.equal(itemShows({ filter: { kind: 'all' } }, notice), false);
  assert.equal(itemFrame(notice), 'id: 7\nevent: template.changed\ndata: {"templateId":"tpl_1","providerStatus":"PAUSED","quality":"RED"}\n\n');
  assert.equal(itemShows({ filter: { kind: 'teams', teamIds: ['tm_a'] }, permissions: new Set(['templates.read']) }, event({ teamId: 'tm_b' })), false, 'a conversation event still goes by team');
});

test('the stream starts after Last-Event-ID, else after ?after=, else at the head', () => {
  assert.deepEqual(streamCursor('42', 3), { ok: true, after: 42 });
  assert.deepEqual(streamCursor(' 0 ', undefined), { ok: true, after: 0 });
  assert.deepEqual(streamCursor(undefined, 3), { ok: true, after: 3 });
  assert.deepEqual(streamCursor(undefined, undefined), { ok: true, after: null });
  for (const bad of ['', 'abc', '-1', '1.5', '01', '99999999999999999']) assert.deepEqual(streamCursor(bad, undefined), { ok: false }, bad);
});
