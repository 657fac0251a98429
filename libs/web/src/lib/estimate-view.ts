import type { Language } from '@case-status/case-domain';

/**
 * Reads the status API's per-case estimate (the parts `estimate-selection.ts` asked for) into
 * what the page shows. Every part is optional: an API that lacks one simply shows less.
 */

export interface EstimatedDateView {
  /** 0.5 for "likely by", 0.8 for "8 in 10 by". */
  probability: number;
  /** YYYY-MM-DD. */
  date: string;
  /** Cases still waiting at that point: what the date rests on, when the API says. */
  atRisk: number | null;
}

export type Texts = Partial<Record<Language, string>>;

export interface EstimateView {
  dates: EstimatedDateView[];
  /** Why a date is withheld: a stable code and, where the API gives them, its own words. */
  reasons: { code: string; message: Texts }[];
  /** How long the case has been at its step against the usual time there. */
  staleness: Texts | null;
  disclaimer: Texts | null;
  /** On the queue clock (dates read from how far along the line the case is): the weeks of the pace used; null otherwise. */
  paceWeeks: number | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function textsOf(value: unknown): Texts | null {
  if (!isObject(value)) return null;
  const texts: Texts = {};
  if (typeof value['en'] === 'string') texts.en = value['en'];
  if (typeof value['es'] === 'string') texts.es = value['es'];
  return texts.en || texts.es ? texts : null;
}

function dateOf(value: unknown, fallbackProbability: number): EstimatedDateView | null {
  if (!isObject(value) || typeof value['date'] !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value['date'])) return null;
  const probability = typeof value['probability'] === 'number' ? value['probability'] : fallbackProbability;
  return { probability, date: value['date'].slice(0, 10), atRisk: typeof value['atRisk'] === 'number' ? value['atRisk'] : null };
}

/** Null when there is no estimate at all (the field is null). */
export function readEstimate(estimate: unknown): EstimateView | null {
  if (!isObject(estimate)) return null;
  const dates = [dateOf(estimate['likelyBy'], 0.5), dateOf(estimate['eightyPercentBy'], 0.8)].filter((date): date is EstimatedDateView => date !== null);
  const reasons = (Array.isArray(estimate['reasons']) ? estimate['reasons'] : []).flatMap((reason: unknown) =>
    isObject(reason) && typeof reason['code'] === 'string' ? [{ code: reason['code'], message: textsOf(reason['message']) ?? {} }] : [],
  );
  const staleness = isObject(estimate['staleness']) ? textsOf(estimate['staleness']['explanation']) : null;
  const progress = estimate['clock'] === 'QUEUE' && isObject(estimate['queueProgress']) ? estimate['queueProgress'] : null;
  const paceWeeks = progress && typeof progress['paceWeeks'] === 'number' ? progress['paceWeeks'] : null;
  return { dates: dates.sort((a, b) => a.probability - b.probability), reasons, staleness, disclaimer: textsOf(estimate['disclaimer']), paceWeeks };
}
