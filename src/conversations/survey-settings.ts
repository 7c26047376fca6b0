import { settingsSection } from '../workspaces/settings-section.js';
import { HOUR } from '../shared/time.js';

export const SURVEY_KINDS = ['csat', 'nps'] as const;
/** `csat`: satisfaction from 1 to 5. `nps`: likelihood to recommend, from 0 to 10. */
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** The lowest and highest score of each kind. */
export const SCALES: Record<SurveyKind, { min: number; max: number }> = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 } };

/**
 * The workspace's survey settings, `settings.conversations.survey` (set by
 * `PUT /v1/conversations/settings/survey`, documented in docs/conversations.md).
 */
export interface SurveySettings {
  /** Ask when a conversation is resolved. Off by default. */
  enabled: boolean;
  kind: SurveyKind;
  /** The question: per language (`pt_BR`, or a base language `pt`), else the default. */
  question: { default: string; byLanguage: Record<string, string> };
  /**
   * The approved template sent when the customer's service window is closed. `quickReplyScores`: the
   * score each of its quick-reply buttons stands for, in order; null when it has none (then the template
   * asks for a number). Null: outside the window the survey is skipped.
   */
  template: { name: string; language: string; quickReplyScores: number[] | null } | null;
  /** Sent (inside the window the score just opened) after a score, inviting a comment; null: none. */
  commentPrompt: string | null;
  /** How long a score is accepted after the question, and a comment after the score. */
  answerWindowHours: number;
}

export const DEFAULT_QUESTIONS: Record<SurveyKind, string> = {
  csat: 'How satisfied are you with the help you received?',
  nps: 'How likely are you to recommend us to a friend or colleague?',
};

export const DEFAULT_ANSWER_WINDOW_HOURS = 24;
export const MAX_ANSWER_WINDOW_HOURS = 24 * 7;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The survey settings stored in the workspace's settings, with defaults for what is absent or not valid. */
export function readSurveySettings(settings: Record<string, unknown>): SurveySettings {
  const s = settingsSection(settingsSection(settings, 'conversations'), 'survey');
  const kind: SurveyKind = s.kind === 'nps' ? 'nps' : 'csat';
  const q = settingsSection(s, 'question');
  const byLanguage = Object.fromEntries(Object.entries(settingsSection(q, 'byLanguage')).filter((e): e is [string, string] => str(e[1]) !== null));
  const t = settingsSection(s, 'template');
  const scores = Array.isArray(t.quickReplyScores) && t.quickReplyScores.every((n) => Number.isInteger(n)) ? (t.quickReplyScores as number[]) : null;
  const hours = s.answerWindowHours;
  return {
    enabled: s.enabled === true,
    kind,
    question: { default: str(q.default) ?? DEFAULT_QUESTIONS[kind], byLanguage },
    template: str(t.name) && str(t.language) ? { name: t.name as string, language: t.language as string, quickReplyScores: scores } : null,
    commentPrompt: str(s.commentPrompt),
    answerWindowHours: typeof hours === 'number' && Number.isInteger(hours) && hours >= 1 && hours <= MAX_ANSWER_WINDOW_HOURS ? hours : DEFAULT_ANSWER_WINDOW_HOURS,
  };
}

export const answerWindowMs = (s: Pick<SurveySettings, 'answerWindowHours'>): number => s.answerWindowHours * HOUR;

/**
 * What schema validation cannot say about settings about to be stored: a quick-reply button's score
 * must be on the kind's scale (one button per score at most). Returns the offending field and why.
 */
export function surveySettingsProblem(s: SurveySettings): { field: string; message: string } | null {
  const scores = s.template?.quickReplyScores;
  if (!scores) return null;
  const { min, max } = SCALES[s.kind];
  const bad = scores.findIndex((n) => n < min || n > max);
  if (bad >= 0) return { field: `/template/quickReplyScores/${bad}`, message: `A ${s.kind.toUpperCase()} score is from ${min} to ${max}.` };
  if (new Set(scores).size !== scores.length) return { field: '/template/quickReplyScores', message: 'Each quick-reply button stands for a different score.' };
  return null;
}
