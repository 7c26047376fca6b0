import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MINUTE } from '../shared/time.js';
import { aggregateScores, classifyReply, parseScoreText, parseSurveyPayload, planAsk, questionFor, surveyPayload, type SurveyForReply } from './survey-policy.js';
import { readSurveySettings, surveySettingsProblem, type SurveySettings } from './survey-settings.js';

const T0 = Date.UTC(2026, 0, 15, 12);
const settings = (over: Partial<SurveySettings> = {}): SurveySettings => ({ ...readSurveySettings({}), enabled: true, ...over });

describe('survey score parsing', () => {
  it('a tapped row or button carries the survey and the score; anything else is not a survey payload', () => {
    assert.deepEqual(parseSurveyPayload(surveyPayload('svy_01ABC', 4)), { surveyId: 'svy_01ABC', score: 4 });
    assert.equal(parseSurveyPayload('Unsubscribe'), null);
    assert.equal(parseSurveyPayload('svy:abc'), null);
    assert.equal(parseSurveyPayload('svy:abc:4:extra'), null);
    assert.equal(parseSurveyPayload(undefined), null);
  });

  it('a typed number on the scale is a score, alone or as n/5, n out of 10; other text and numbers off the scale are not', () => {
    assert.equal(parseScoreText('5', 'csat'), 5);
    assert.equal(parseScoreText(' 4/5 ', 'csat'), 4);
    assert.equal(parseScoreText('3!', 'csat'), 3);
    assert.equal(parseScoreText('0', 'csat'), null);
    assert.equal(parseScoreText('6', 'csat'), null);
    assert.equal(parseScoreText('4/10', 'csat'), null, 'a CSAT score is out of 5');
    assert.equal(parseScoreText('0', 'nps'), 0);
    assert.equal(parseScoreText('10', 'nps'), 10);
    assert.equal(parseScoreText('9 out of 10', 'nps'), 9);
    assert.equal(parseScoreText('11', 'nps'), null);
    assert.equal(parseScoreText('my order 5 is late', 'csat'), null);
    assert.equal(parseScoreText('5.5', 'csat'), null);
    assert.equal(parseScoreText(undefined, 'csat'), null);
  });
});

describe('how a survey is asked', () => {
  it('CSAT inside the window: a list of 5 rows, within WhatsApp\'s limits, each row id naming the survey and score', () => {
    const plan = planAsk(settings(), { surveyId: 'svy_1', windowOpen: true, language: null });
    assert.ok('via' in plan && plan.via === 'interactive');
    const interactive = (plan.message as any).interactive;
    assert.equal(interactive.type, 'list');
    const rows = interactive.action.sections.flatMap((s: any) => s.rows);
    assert.deepEqual(rows.map((r: any) => parseSurveyPayload(r.id)!.score), [5, 4, 3, 2, 1]);
    assert.ok(rows.length <= 10 && rows.every((r: any) => r.title.length <= 24 && r.id.length <= 200));
    assert.ok(interactive.action.button.length <= 20);
  });

  it('NPS inside the window: 11 values fit no list (10 rows) nor buttons (3), so a question inviting a number', () => {
    const plan = planAsk(settings({ kind: 'nps' }), { surveyId: 'svy_1', windowOpen: true, language: null });
    assert.ok('via' in plan && plan.via === 'text');
    assert.match((plan.message as any).text.body, /0–10/);
  });

  it('outside the window: the configured template, its quick replies carrying the scores; none configured: skipped, never free text', () => {
    const template = { name: 'csat_survey', language: 'en_US', quickReplyScores: [5, 3, 1] };
    const plan = planAsk(settings({ template }), { surveyId: 'svy_1', windowOpen: false, language: null });
    assert.ok('via' in plan && plan.via === 'template');
    const t = (plan.message as any).template;
    assert.deepEqual([t.name, t.language.code], ['csat_survey', 'en_US']);
    assert.deepEqual(t.components.map((c: any) => [c.sub_type, c.index, parseSurveyPayload(c.parameters[0].payload)!.score]), [['quick_reply', '0', 5], ['quick_reply', '1', 3], ['quick_reply', '2', 1]]);
    const plain = planAsk(settings({ template: { ...template, quickReplyScores: null } }), { surveyId: 'svy_1', windowOpen: false, language: null });
    assert.ok('via' in plain && (plain.message as any).template.components === undefined);
    assert.deepEqual(planAsk(settings({ template: null }), { surveyId: 'svy_1', windowOpen: false, language: null }), { skip: 'window_closed_no_template' });
  });

  it('the question is in the contact\'s language, its base language, or the default', () => {
    const s = settings({ question: { default: 'How did we do?', byLanguage: { pt: 'Como foi?', es_MX: '¿Qué tal?' } } });
    assert.equal(questionFor(s, 'es_MX'), '¿Qué tal?');
    assert.equal(questionFor(s, 'pt_BR'), 'Como foi?');
    assert.equal(questionFor(s, 'de'), 'How did we do?');
    assert.equal(questionFor(s, null), 'How did we do?');
  });
});

describe('what a reply is to the survey', () => {
  const asked: SurveyForReply = { id: 'svy_1', kind: 'csat', state: 'asked', askedAt: T0, answeredAt: null, hasComment: false };
  const answered: SurveyForReply = { ...asked, state: 'answered', answeredAt: T0 + MINUTE };
  const day = 24 * HOUR;

  it('a tap on this survey\'s row is its score; on another survey\'s, nothing; a second tap once answered, a repeat', () => {
    assert.deepEqual(classifyReply(asked, { buttonPayload: surveyPayload('svy_1', 4), text: '4 ★★★★', at: T0 + MINUTE }, day), { kind: 'score', score: 4 });
    assert.equal(classifyReply(asked, { buttonPayload: surveyPayload('svy_2', 4), at: T0 + MINUTE }, day), null);
    assert.equal(classifyReply(asked, { buttonPayload: surveyPayload('svy_1', 9), at: T0 + MINUTE }, day), null, 'off the CSAT scale');
    assert.deepEqual(classifyReply(answered, { buttonPayload: surveyPayload('svy_1', 2), at: T0 + 2 * MINUTE }, day), { kind: 'repeat' });
  });

  it('a typed number within the answer window is the score; after it, or any other text while asked, is not', () => {
    assert.deepEqual(classifyReply(asked, { text: '5', at: T0 + HOUR }, day), { kind: 'score', score: 5 });
    assert.equal(classifyReply(asked, { text: '5', at: T0 + day }, day), null);
    assert.equal(classifyReply(asked, { text: 'I have another question', at: T0 + HOUR }, day), null);
    assert.equal(classifyReply(asked, { text: '5', at: T0 - 2 * MINUTE }, day), null, 'written before the question');
    assert.deepEqual(classifyReply(asked, { text: '5', at: T0 - 1000 }, day), { kind: 'score', score: 5 }, 'a whole-second timestamp just before the question');
  });

  it('text after the score, within the answer window and before any comment, is the comment', () => {
    assert.deepEqual(classifyReply(answered, { text: '  Quick and kind, thanks ', at: T0 + HOUR }, day), { kind: 'comment', text: 'Quick and kind, thanks' });
    assert.equal(classifyReply({ ...answered, hasComment: true }, { text: 'one more', at: T0 + HOUR }, day), null);
    assert.equal(classifyReply(answered, { text: 'late words', at: T0 + MINUTE + day }, day), null);
    assert.equal(classifyReply({ ...asked, state: 'skipped', askedAt: null }, { text: '5', at: T0 }, day), null);
  });
});

describe('adding up the answers', () => {
  it('CSAT: the average and the share of 4s and 5s; NPS: promoters minus detractors, in points', () => {
    const csat = [5, 4, 3, 1].map((score) => ({ kind: 'csat', score }));
    const nps = [10, 9, 9, 8, 7, 6, 0, 3, 10, 5].map((score) => ({ kind: 'nps', score }));
    const a = aggregateScores([...csat, ...nps]);
    assert.deepEqual(a.csat, { answered: 4, average: 3.3, satisfiedPercent: 50 });
    assert.deepEqual(a.nps, { answered: 10, promoters: 4, passives: 2, detractors: 4, score: 0 });
    assert.equal(aggregateScores([{ kind: 'nps', score: 9 }, { kind: 'nps', score: 10 }, { kind: 'nps', score: 2 }]).nps.score, 33.3);
  });

  it('no answers: counts of zero and no averages', () => {
    assert.deepEqual(aggregateScores([]), { csat: { answered: 0, average: null, satisfiedPercent: null }, nps: { answered: 0, promoters: 0, passives: 0, detractors: 0, score: null } });
  });
});

describe('survey settings', () => {
  it('absent or broken settings read as disabled CSAT with defaults; a stored survey reads back', () => {
    const d = readSurveySettings({});
    assert.deepEqual([d.enabled, d.kind, d.template, d.answerWindowHours], [false, 'csat', null, 24]);
    const s = readSurveySettings({ conversations: { survey: { enabled: true, kind: 'nps', answerWindowHours: 0, template: { name: 'nps_ask', language: 'en' } } } });
    assert.deepEqual([s.enabled, s.kind, s.answerWindowHours, s.template], [true, 'nps', 24, { name: 'nps_ask', language: 'en', quickReplyScores: null }]);
  });

  it('a quick-reply score off the scale, or two buttons for one score, is named', () => {
    const template = { name: 't', language: 'en', quickReplyScores: [5, 6] };
    assert.equal(surveySettingsProblem(settings({ template }))?.field, '/template/quickReplyScores/1');
    assert.equal(surveySettingsProblem(settings({ template: { ...template, quickReplyScores: [3, 3] } }))?.field, '/template/quickReplyScores');
    assert.equal(surveySettingsProblem(settings({ kind: 'nps', template })), null);
  });
});
