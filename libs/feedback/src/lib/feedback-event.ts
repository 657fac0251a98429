import { isLanguage, type Language } from '@case-status/case-domain';
import type { JsonObject } from '@case-status/event-contract';
import { isFiscalQuarter, type FiscalQuarter } from './fiscal-quarter';
import type { FeedbackAnswers } from './feedback-answers';
import { isQuestionId, SCALE_VALUES, type QuestionId, type ScaleValue } from './survey';

export const FEEDBACK_SUBMITTED = 'FeedbackSubmitted';
export const FEEDBACK_SCHEMA_VERSION = 1;

/** Feedback streams are `feedback-<AGENCY>-<form type>`: one per service, never one per case. */
export const FEEDBACK_STREAM_PREFIX = 'feedback-';

export function feedbackStreamId(agency: string, service: string): string {
  if (agency.length === 0 || agency.includes('-')) throw new RangeError(`agency code "${agency}" cannot be part of a stream id`);
  if (service.length === 0) throw new RangeError('a feedback stream needs a service (form type)');
  return `${FEEDBACK_STREAM_PREFIX}${agency}-${service}`;
}

/**
 * `FeedbackSubmitted` v1: one anonymous survey response. It names the service and the fiscal
 * quarter it was given in, never the case: no receipt number, no case stream, no decision
 * date, no exact time of its own.
 */
export interface FeedbackSubmittedData extends FeedbackAnswers {
  agency: string;
  /** The form type the case was for, e.g. `I-130`. */
  service: string;
  quarter: FiscalQuarter;
  /** The language the survey was shown in. */
  language: Language;
}

export function toEventData(data: FeedbackSubmittedData): JsonObject {
  return {
    agency: data.agency,
    service: data.service,
    quarter: data.quarter,
    language: data.language,
    answers: { ...data.answers },
    ...(data.freeText !== undefined && { freeText: data.freeText }),
  };
}

/** Reads a stored event's data back, refusing what this code would never have written. */
export function parseFeedbackSubmitted(data: JsonObject): FeedbackSubmittedData {
  const { agency, service, quarter, language, answers, freeText } = data;
  const fail = (what: string): never => {
    throw new TypeError(`not a ${FEEDBACK_SUBMITTED} v${FEEDBACK_SCHEMA_VERSION} event: ${what}`);
  };
  if (typeof agency !== 'string' || agency === '') fail('agency');
  if (typeof service !== 'string' || service === '') fail('service');
  if (typeof quarter !== 'string' || !isFiscalQuarter(quarter)) fail('quarter');
  if (!isLanguage(language)) fail('language');
  if (freeText !== undefined && typeof freeText !== 'string') fail('freeText');
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return fail('answers');
  const parsed: Partial<Record<QuestionId, ScaleValue>> = {};
  for (const [id, value] of Object.entries(answers)) {
    if (!isQuestionId(id)) fail(`unknown question ${id}`);
    if (!(SCALE_VALUES as readonly unknown[]).includes(value)) fail(`answers.${id}`);
    parsed[id as QuestionId] = value as ScaleValue;
  }
  return {
    agency: agency as string,
    service: service as string,
    quarter: quarter as string,
    language: language as Language,
    answers: parsed,
    ...(typeof freeText === 'string' && { freeText }),
  };
}
