import { SCALES, type SurveyKind, type SurveySettings } from './survey-settings.js';
import type { ConversationMessage } from './ports.js';
import { SECOND } from '../shared/time.js';

/**
 * CSAT and NPS, pure: how a survey is asked, what a customer's reply to it is, and what the answers
 * add up to. No clock, no I/O (`survey-ask.ts` and `survey-replies.ts` are the edges).
 *
 * How it is asked (decision 0023), within WhatsApp's interactive limits (at most 3 reply buttons; a
 * list has at most 10 rows in total across its sections, row titles up to 24 characters, row ids up
 * to 200):
 * - CSAT inside the service window: a list of 5 rows (5 to 1, stars), ids `svy:<surveyId>:<score>`;
 *   three buttons would lose the 1–5 scale.
 * - NPS inside the window: 11 values do not fit a list (10 rows) nor buttons (3), so the question goes
 *   as text inviting a number from 0 to 10, and the number the customer sends is the score.
 * - Outside the window: the configured approved template. Its quick-reply buttons, when the settings
 *   say which score each stands for, carry `svy:<surveyId>:<score>` as payload; otherwise the template
 *   invites a number. No template configured: the survey is skipped, never sent as free text.
 */

const PAYLOAD_PREFIX = 'svy:';

/** What a row or button tap carries: the survey and the score. */
export const surveyPayload = (surveyId: string, score: number): string => `${PAYLOAD_PREFIX}${surveyId}:${score}`;

/** The survey and score of a tapped row or button, or null for anything else. */
export function parseSurveyPayload(payload: string | undefined): { surveyId: string; score: number } | null {
  if (!payload?.startsWith(PAYLOAD_PREFIX)) return null;
  const match = /^svy:([A-Za-z0-9_-]{1,64}):(\d{1,2})$/.exec(payload);
  return match ? { surveyId: match[1]!, score: Number(match[2]) } : null;
}

/**
 * A score typed as a message: a whole number on the kind's scale, alone or as `n/5`, `n/10`, `n out of
 * 10`, with trailing punctuation or an emoji-free star suffix tolerated. Anything else is not a score.
 */
export function parseScoreText(text: string | undefined, kind: SurveyKind): number | null {
  if (text === undefined) return null;
  const match = /^\s*(\d{1,2})\s*(?:(?:\/|out of|of)\s*(\d{1,2}))?\s*[.!]?\s*$/i.exec(text);
  if (!match) return null;
  const score = Number(match[1]);
  const { min, max } = SCALES[kind];
  if (match[2] !== undefined && Number(match[2]) !== max) return null;
  return score >= min && score <= max ? score : null;
}

/** The question in the contact's language: exact, then its base language (`pt` for `pt_BR`), then the default. */
export function questionFor(settings: Pick<SurveySettings, 'question'>, language: string | null): string {
  const byLanguage = settings.question.byLanguage;
  if (language) {
    const exact = byLanguage[language];
    if (exact) return exact;
    const base = byLanguage[language.split(/[-_]/)[0]!];
    if (base) return base;
  }
  return settings.question.default;
}

export type AskPlan =
  | { via: 'interactive' | 'text' | 'template'; message: ConversationMessage }
  | { skip: 'window_closed_no_template' };

/** How to ask survey `surveyId`, given whether the customer's service window is open now. */
export function planAsk(settings: SurveySettings, input: { surveyId: string; windowOpen: boolean; language: string | null }): AskPlan {
  if (input.windowOpen) {
    const question = questionFor(settings, input.language);
    if (settings.kind === 'nps') return { via: 'text', message: { type: 'text', text: { body: `${question} (0–10)` } } };
    const rows = [5, 4, 3, 2, 1].map((score) => ({ id: surveyPayload(input.surveyId, score), title: `${score} ${'★'.repeat(score)}` }));
    return {
      via: 'interactive',
      message: { type: 'interactive', interactive: { type: 'list', body: { text: question }, action: { button: 'Rate', sections: [{ rows }] } } },
    };
  }
  const template = settings.template;
  if (!template) return { skip: 'window_closed_no_template' };
  const components = (template.quickReplyScores ?? []).map((score, index) => ({
    type: 'button',
    sub_type: 'quick_reply',
    index: String(index),
    parameters: [{ type: 'payload', payload: surveyPayload(input.surveyId, score) }],
  }));
  return { via: 'template', message: { type: 'template', template: { name: template.name, language: { code: template.language }, ...(components.length ? { components } : {}) } } };
}

/** A survey as a reply is judged against it. */
export interface SurveyForReply {
  id: string;
  kind: SurveyKind;
  state: string;
  askedAt: number | null;
  answeredAt: number | null;
  hasComment: boolean;
}

export type SurveyReply =
  | { kind: 'score'; score: number }
  | { kind: 'comment'; text: string }
  /** A tap on a survey already answered (or of another cycle's survey): not news, but not a new request either. */
  | { kind: 'repeat' };

/**
 * What a customer's message is to the conversation's survey, or null when it is none of its business
 * (then it reopens the conversation as any message does):
 * - a tap whose payload names this survey: its score while asked, a repeat once answered;
 * - while asked and within the answer window from the question: a number on the scale is the score;
 * - once answered, within the answer window from the score and before any comment: text is the comment.
 */
export function classifyReply(survey: SurveyForReply, message: { text?: string; buttonPayload?: string; at: number }, answerWindowMs: number): SurveyReply | null {
  const tap = parseSurveyPayload(message.buttonPayload);
  if (tap) {
    if (tap.surveyId !== survey.id) return null;
    const { min, max } = SCALES[survey.kind];
    if (tap.score < min || tap.score > max) return null;
    return survey.state === 'asked' && within(survey.askedAt, message.at, answerWindowMs) ? { kind: 'score', score: tap.score } : { kind: 'repeat' };
  }
  if (message.buttonPayload !== undefined && message.text === undefined) return null;
  if (survey.state === 'asked' && within(survey.askedAt, message.at, answerWindowMs)) {
    const score = parseScoreText(message.text, survey.kind);
    return score === null ? null : { kind: 'score', score };
  }
  if (survey.state === 'answered' && !survey.hasComment && within(survey.answeredAt, message.at, answerWindowMs)) {
    const text = message.text?.trim();
    return text ? { kind: 'comment', text } : null;
  }
  return null;
}

/**
 * Provider timestamps are whole seconds and clocks differ a little: a reply stamped up to this much
 * before the question (or the score) still counts as after it.
 */
export const REPLY_CLOCK_SKEW = 60 * SECOND;

const within = (from: number | null, at: number, windowMs: number): boolean => from !== null && at >= from - REPLY_CLOCK_SKEW && at - from < windowMs;

/** The answered scores of a period, by kind. */
export interface SurveyAggregate {
  csat: { answered: number; average: number | null; satisfiedPercent: number | null };
  nps: { answered: number; promoters: number; passives: number; detractors: number; score: number | null };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * CSAT: the average score and the share of satisfied answers (4 or 5), in percent. NPS: the share of
 * promoters (9–10) minus the share of detractors (0–6), in points from −100 to 100.
 */
export function aggregateScores(answers: ReadonlyArray<{ kind: string; score: number }>): SurveyAggregate {
  const csat = answers.filter((a) => a.kind === 'csat').map((a) => a.score);
  const nps = answers.filter((a) => a.kind === 'nps').map((a) => a.score);
  const promoters = nps.filter((s) => s >= 9).length;
  const detractors = nps.filter((s) => s <= 6).length;
  return {
    csat: {
      answered: csat.length,
      average: csat.length ? round1(csat.reduce((a, b) => a + b, 0) / csat.length) : null,
      satisfiedPercent: csat.length ? round1((100 * csat.filter((s) => s >= 4).length) / csat.length) : null,
    },
    nps: {
      answered: nps.length,
      promoters,
      passives: nps.length - promoters - detractors,
      detractors,
      score: nps.length ? round1((100 * (promoters - detractors)) / nps.length) : null,
    },
  };
}
