import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { visibleConversation } from './reply.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import { holds } from '../access/principal.js';
import { auditDiff } from '../access/audit-port.js';
import { teamFilter } from '../access/team-scope.js';
import { getWorkspace, updateWorkspaceSettings } from '../workspaces/workspace-queries.js';
import { settingsSection } from '../workspaces/settings-section.js';
import { aggregateScores } from './survey-policy.js';
import { MAX_ANSWER_WINDOW_HOURS, SURVEY_KINDS, readSurveySettings, surveySettingsProblem, type SurveySettings } from './survey-settings.js';
import { SURVEY_STATES, SURVEY_VIAS, answeredScores, surveysOfConversation } from './survey-store.js';
import { DAY } from '../shared/time.js';

const Language = Type.String({ minLength: 2, maxLength: 16, pattern: '^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$' });
const Question = MultilineText({ minLength: 1, maxLength: 1024 });

/** `settings.conversations.survey` as the API reads and writes it. */
const SurveySettingsBody = Type.Object({
  enabled: Type.Boolean({ description: 'Ask when a conversation is resolved.' }),
  kind: StringEnum(SURVEY_KINDS, { description: '`csat`: 1 to 5, asked as a list of 5 rows inside the window. `nps`: 0 to 10, asked as a question inviting a number (11 values fit neither a list nor buttons).' }),
  question: Type.Object({
    default: Question,
    byLanguage: Type.Record(Language, Question, { maxProperties: 50, description: 'The question per contact language (`pt_BR`) or base language (`pt`).' }),
  }, { additionalProperties: false }),
  template: Nullable(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$' }),
    language: Language,
    quickReplyScores: Nullable(Type.Array(Type.Integer({ minimum: 0, maximum: 10 }), { minItems: 1, maxItems: 10, description: 'The score each quick-reply button of the template stands for, in order; null when it has none and asks for a number.' })),
  }, { additionalProperties: false, description: 'The approved template sent when the customer\'s 24-hour window is closed; null: outside the window the survey is skipped.' })),
  commentPrompt: Nullable(MultilineText({ minLength: 1, maxLength: 1024, description: 'Sent after a score, inviting a comment; null: none.' })),
  answerWindowHours: Type.Integer({ minimum: 1, maximum: MAX_ANSWER_WINDOW_HOURS, description: 'How long a score is accepted after the question, and a comment after the score.' }),
}, { additionalProperties: false });

const SurveyView = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  cycle: Type.Integer(),
  kind: StringEnum(SURVEY_KINDS),
  state: StringEnum(SURVEY_STATES),
  via: Nullable(StringEnum(SURVEY_VIAS)),
  messageId: Nullable(Type.String()),
  askedAt: Nullable(Timestamp()),
  score: Nullable(Type.Integer()),
  answeredAt: Nullable(Timestamp()),
  comment: Nullable(Type.String({ description: 'The customer\'s comment: shown with `messages.read_content` only.' })),
  commented: Type.Boolean(),
  commentedAt: Nullable(Timestamp()),
  reason: Nullable(Type.String({ description: 'Why it was skipped (`window_closed_no_template`) or failed (a refusal code).' })),
});

const Aggregate = Type.Object({
  from: Timestamp(),
  to: Timestamp(),
  csat: Type.Object({ answered: Type.Integer(), average: Nullable(Type.Number()), satisfiedPercent: Nullable(Type.Number({ description: 'Answers of 4 or 5, in percent.' })) }),
  nps: Type.Object({ answered: Type.Integer(), promoters: Type.Integer(), passives: Type.Integer(), detractors: Type.Integer(), score: Nullable(Type.Number({ description: 'Promoters (9–10) minus detractors (0–6), in percent points.' })) }),
});

/**
 * CSAT and NPS (docs/conversations.md, "CSAT and NPS"): the workspace's survey settings, a
 * conversation's surveys, and the scores of a period added up. Lists and sums are narrowed to the
 * teams of who asks, as conversations are.
 */
export async function surveyRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['conversations'];

  app.get('/v1/conversations/settings/survey', {
    config: { permission: 'conversations.read' },
    schema: { tags, security, summary: 'The survey asked when a conversation is resolved.', response: { 200: SurveySettingsBody } },
  }, async (request) => {
    const workspace = await getWorkspace(ctx.db, request.principal!.workspaceId);
    if (!workspace) throw new ParleyError('WORKSPACE_NOT_FOUND');
    return readSurveySettings(workspace.settings);
  });

  app.put('/v1/conversations/settings/survey', {
    config: { permission: 'settings.manage', audit: 'survey_settings.updated' },
    schema: {
      tags, security,
      summary: 'Set the CSAT or NPS survey asked on resolution: inside the 24-hour window as a list or a question, outside it by the approved template (skipped without one).',
      body: SurveySettingsBody,
      response: { 200: SurveySettingsBody },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const next: SurveySettings = request.body;
    const problem = surveySettingsProblem(next);
    if (problem) throw new ParleyError('SURVEY_SETTINGS_INVALID', problem);
    const workspace = await getWorkspace(ctx.db, workspaceId);
    if (!workspace) throw new ParleyError('WORKSPACE_NOT_FOUND');
    const before = readSurveySettings(workspace.settings);
    await updateWorkspaceSettings(ctx.db, workspaceId, { conversations: { ...settingsSection(workspace.settings, 'conversations'), survey: next } });
    const resource = { type: 'survey_settings', id: null };
    request.audit({ resource, diff: auditDiff(resource, { ...before }, { ...next }) });
    return next;
  });

  app.get('/v1/conversations/:id/surveys', {
    config: { permission: 'conversations.read', audit: 'survey.read_comment' },
    schema: {
      tags, security,
      summary: 'A conversation\'s surveys, one per resolution cycle: how each was asked, the score and the comment.',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: Type.Object({ data: Type.Array(SurveyView) }) },
    },
  }, async (request) => {
    const p = request.principal!;
    const c = await visibleConversation(ctx, p, request.params.id);
    const surveys = await surveysOfConversation(ctx.db, p.workspaceId, c.id);
    const withContent = holds(p, 'messages.read_content');
    const shown = withContent ? surveys.filter((s) => s.comment !== null) : [];
    // Showing a customer's comment is a read of their words: one entry naming the surveys shown.
    request.audit(shown.length ? { resource: { type: 'survey', id: null }, diff: { shown: { to: { count: shown.length, ids: shown.map((s) => s.id) } } } } : false);
    const data = await Promise.all(surveys.map(async (s) => ({
      id: s.id, conversationId: s.conversationId, cycle: s.cycle, kind: s.kind, state: s.state, via: s.via, messageId: s.messageId,
      askedAt: iso(s.askedAt), score: s.score, answeredAt: iso(s.answeredAt),
      comment: withContent && s.comment !== null ? await ctx.keyring.decrypt(p.workspaceId, s.comment) : null,
      commented: s.comment !== null, commentedAt: iso(s.commentedAt), reason: s.reason,
    })));
    return { data };
  });

  app.get('/v1/surveys', {
    config: { permission: 'analytics.read' },
    schema: {
      tags, security,
      summary: 'The scores answered in a period added up: CSAT average and share satisfied (4–5), NPS (promoters 9–10 minus detractors 0–6). Narrowed to your teams.',
      querystring: Type.Object({
        from: Type.Optional(Timestamp({ description: 'Start (inclusive); default 30 days before `to`.' })),
        to: Type.Optional(Timestamp({ description: 'End (exclusive); default now.' })),
      }),
      response: { 200: Aggregate },
    },
  }, async (request) => {
    const p = request.principal!;
    // Without `to`, up to and including this millisecond.
    const to = request.query.to ? Date.parse(request.query.to) : ctx.clock.now() + 1;
    const from = request.query.from ? Date.parse(request.query.from) : to - 30 * DAY;
    if (!(from < to)) throw new ParleyError('REQUEST_INVALID', { field: '/from', message: '`from` must be before `to`.' });
    const scores = await answeredScores(ctx.db, p.workspaceId, { from, to, teams: teamFilter(p) });
    return { from: iso(from)!, to: iso(to)!, ...aggregateScores(scores) };
  });
}
