import type { Language } from '@case-status/case-domain';
import type { CaseView } from './api/case-lookup';

/** The per-case estimate as the status API answers it (null when it withholds one). */
export type CaseEstimate = CaseView['estimate'];

export interface EstimatedDateView {
  /** 0.5 for "likely by", 0.8 for "8 in 10 by". */
  probability: number;
  /** YYYY-MM-DD. */
  date: string;
  /** Cases still waiting at that point: what the date rests on. */
  atRisk: number;
}

export interface EstimateView {
  dates: EstimatedDateView[];
  /** Why a date is withheld: a stable code and the API's own words. */
  reasons: { code: string; message: Record<Language, string> }[];
  /** How long the case has been at its step against the usual time there. */
  staleness: Record<Language, string> | null;
  disclaimer: Record<Language, string>;
  /** On the queue clock (dates read from how far along the line the case is): the weeks of the pace used; null otherwise. */
  paceWeeks: number | null;
  /** Whether the dates are the form's at every office of the agency (the case's own office has decided too few cases like it). */
  pooled: boolean;
  /**
   * Where the dates come from when they are the form's at every office of the agency or read
   * over a longer period than the recent one, in the API's words; null for its own office's recent cases.
   */
  source: Record<Language, string> | null;
  /**
   * For a case older than most decided cases like it: where it stands, how fast its line
   * moves, and what the person can do, in the API's words, with the agency's inquiry page.
   */
  longWait: { explanation: Record<Language, string>; inquiryUrl: string | null } | null;
}

/** What the page shows of an estimate: its dates earliest level first. Null when there is none. */
export function readEstimate(estimate: CaseEstimate): EstimateView | null {
  if (!estimate) return null;
  const dates = [estimate.likelyBy, estimate.eightyPercentBy].filter((date) => date !== null).sort((a, b) => a.probability - b.probability);
  return {
    dates,
    reasons: estimate.reasons.map(({ code, message }) => ({ code, message })),
    staleness: estimate.staleness?.explanation ?? null,
    disclaimer: estimate.disclaimer,
    paceWeeks: estimate.clock === 'QUEUE' ? (estimate.queueProgress?.paceWeeks ?? null) : null,
    pooled: estimate.cohort.pooled,
    source: estimate.cohort.explanation ?? null,
    longWait: estimate.longWait && { explanation: estimate.longWait.explanation, inquiryUrl: httpsOnly(estimate.longWait.inquiry?.url) },
  };
}

/** A link the page may show: an https URL, nothing else (no `javascript:` or `data:` whatever the API says). */
function httpsOnly(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
