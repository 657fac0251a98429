import type { AgencyInquiry, Language as EstimateLanguage } from '@case-status/case-domain';
import type { IsoDate } from './days';
import type { CaseEstimate, CohortEstimate, NoEstimateReason } from './estimate.types';
import type { LongWait } from './long-wait';
import type { Staleness } from './staleness';

/**
 * The estimates in plain words, in English and Spanish, for people waiting on a case. The
 * texts say what past cases did and never what this case will do: a date is "by when most
 * cases like yours are decided", always followed by the reminder that it is an estimate and
 * not a promise. Spanish addresses the reader as usted, as the status texts do.
 */

/** Where pooled dates come from (`estimateCasesPooled`): the form across the agency's offices. */
const POOLED: Readonly<Record<EstimateLanguage, string>> = {
  en: "Your office has decided too few cases like yours to go on, so these dates come from cases of the same form at all of the agency's offices.",
  es: 'Su oficina ha decidido muy pocos casos como el suyo para basarse en ellos, así que estas fechas vienen de los casos del mismo formulario en todas las oficinas de la agencia.',
};

/**
 * Where the dates come from when not from the case's own office over the recent period: the
 * form across the agency's offices (`pooled`), a longer period (`window: 'extended'`), or both.
 */
function sourceWording(estimate: Pick<CaseEstimate, 'pooled' | 'window' | 'curve'>, language: EstimateLanguage): string | null {
  if (estimate.window !== 'extended') return estimate.pooled ? POOLED[language] : null;
  const months = Math.round((estimate.curve.periodDays ?? 0) / 30.44);
  if (language === 'en') {
    const cases = estimate.pooled ? "cases of the same form at all of the agency's offices" : 'cases like yours';
    return `Too few cases like yours were decided recently to go on, so these dates come from ${cases} decided over the last ${months} months.`;
  }
  const cases = estimate.pooled ? 'los casos del mismo formulario en todas las oficinas de la agencia' : 'los casos como el suyo';
  return `Se decidieron muy pocos casos como el suyo en los últimos meses para basarse en ellos, así que estas fechas vienen de ${cases} decididos en los últimos ${months} meses.`;
}

/** Every text of a case estimate, in one language. */
export interface CaseEstimateWording {
  /** The dates, or why there are none, then the disclaimer: a paragraph ready to show. */
  summary: string;
  /** One sentence per reason, in the order of `estimate.reasons`. */
  reasons: string[];
  queue: string;
  /** Null when the estimate has no staleness. */
  staleness: string | null;
  /**
   * Where the dates come from when they are the form's across offices (`pooled`) or read over
   * a longer period (`window: 'extended'`); null for the case's own office's recent cases.
   */
  cohort: string | null;
  /** For a case older than most decided cases like it (`longWait`): what can be said, and what to do; null otherwise. */
  longWait: string | null;
  disclaimer: string;
}

const DISCLAIMER: Record<EstimateLanguage, string> = {
  en: 'This is an estimate from how long past cases like yours took, not a promise. Your case may take more or less time, and the estimate changes as cases are decided.',
  es: 'Esto es una estimación basada en lo que tardaron casos anteriores como el suyo, no una promesa. Su caso puede tardar más o menos, y la estimación cambia a medida que se deciden casos.',
};

const MONTHS: Record<EstimateLanguage, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
};

/** `2027-03-04` as "March 4, 2027" or "4 de marzo de 2027". */
export function formatEstimateDate(date: IsoDate, language: EstimateLanguage): string {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  return language === 'en' ? `${MONTHS.en[month - 1]} ${day}, ${year}` : `${day} de ${MONTHS.es[month - 1]} de ${year}`;
}

// Building a NumberFormat costs far more than formatting with one: made once per style.
const NUMBER_FORMATS = {
  en: [new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }), new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })],
  es: [new Intl.NumberFormat('es-ES', { maximumFractionDigits: 0 }), new Intl.NumberFormat('es-ES', { maximumFractionDigits: 1 })],
} as const;

/** Whole numbers grouped the language's way; below 10, one decimal ("2.5", "2,5"). */
function number(value: number, language: EstimateLanguage): string {
  return NUMBER_FORMATS[language][value < 10 ? 1 : 0].format(value);
}

function cases(count: number, language: EstimateLanguage): string {
  return `${number(count, language)} ${count === 1 ? (language === 'en' ? 'case' : 'caso') : language === 'en' ? 'cases' : 'casos'}`;
}

function days(count: number, language: EstimateLanguage): string {
  return `${number(count, language)} ${count === 1 ? (language === 'en' ? 'day' : 'día') : language === 'en' ? 'days' : 'días'}`;
}

function inTen(probability: number, language: EstimateLanguage): string {
  const tenths = Math.round(probability * 10);
  return language === 'en' ? `${tenths} in 10` : `${tenths} de cada 10`;
}

/** The share of a level in words: "half" for 0.5, "8 in 10" for 0.8. */
function share(probability: number, language: EstimateLanguage): string {
  if (probability === 0.5) return language === 'en' ? 'half' : 'la mitad';
  return inTen(probability, language);
}

/** "62%" in English; Spanish puts a space before the sign. */
function percent(value: number, language: EstimateLanguage): string {
  return language === 'en' ? `${Math.round(value * 100)}%` : `${Math.round(value * 100)} %`;
}

/** One reason in plain words; the figures come from the reason and the estimate it belongs to. */
export function reasonWording(reason: NoEstimateReason, estimate: Pick<CaseEstimate, 'ageDays' | 'peers' | 'decisionPace'>, language: EstimateLanguage): string {
  const en = language === 'en';
  const observed = reason.observed ?? 0;
  const threshold = reason.threshold ?? 0;
  switch (reason.code) {
    case 'CASE_DECIDED':
      return en ? 'Your case has a decision, so there is nothing left to estimate.' : 'Su caso ya tiene una decisión, así que no queda nada por estimar.';
    case 'TOO_FEW_DECIDED': {
      const sofar = en
        ? observed === 0
          ? 'No case like yours has been decided yet.'
          : `Only ${cases(observed, language)} like yours ${observed === 1 ? 'has' : 'have'} been decided so far.`
        : observed === 0
          ? 'Todavía no se ha decidido ningún caso como el suyo.'
          : `Hasta ahora solo se ${observed === 1 ? 'ha decidido 1 caso' : `han decidido ${cases(observed, language)}`} como el suyo.`;
      return en
        ? `${sofar} We give dates once at least ${number(threshold, language)} have been, because with fewer, one unusual case would move the date a lot.`
        : `${sofar} Damos fechas cuando se han decidido al menos ${number(threshold, language)}, porque con menos, un solo caso poco común movería mucho la fecha.`;
    }
    case 'TOO_FEW_AT_RISK': {
      const level = share(reason.probability ?? 0.5, language);
      return en
        ? `A date by which ${level} of the cases like yours are decided would rest on only ${cases(observed, language)} that waited that long. We need at least ${number(threshold, language)}.`
        : `Una fecha para la que ya estén decididos ${reason.probability === 0.5 ? 'la mitad de los' : level} casos como el suyo se basaría en solo ${cases(observed, language)} que esperaron tanto. Necesitamos al menos ${number(threshold, language)}.`;
    }
    case 'CURVE_DOES_NOT_REACH':
      return en
        ? `Not enough cases that waited as long as yours have been decided yet to say by when ${reason.probability === 0.5 ? 'half' : 'most'} of them are.`
        : `Todavía no se han decidido suficientes casos que esperaron tanto como el suyo para saber para cuándo se decide ${reason.probability === 0.5 ? 'la mitad' : 'la mayoría'} de ellos.`;
    case 'OLDER_THAN_DECIDED_CASES':
      return en
        ? `Your case has waited ${days(estimate.ageDays, language)}, longer than any decided case like it took, so past cases do not tell us when it might be decided.`
        : `Su caso lleva ${days(estimate.ageDays, language)} esperando, más de lo que tardó cualquier caso similar ya decidido, así que los casos anteriores no nos dicen cuándo podría decidirse.`;
    case 'MOST_PEERS_PENDING':
      return en
        ? `${percent(observed, language)} of the cases received within ${days(estimate.peers.windowDays, language)} of yours are still waiting, although earlier cases were mostly decided after waiting that long. Cases like yours are moving slower than before, so a date taken from earlier cases would be too early.`
        : `El ${percent(observed, language)} de los casos recibidos en los ${days(estimate.peers.windowDays, language)} antes o después del suyo sigue esperando, aunque la mayoría de los casos anteriores ya estaban decididos con ese tiempo de espera. Los casos como el suyo avanzan más despacio que antes, así que una fecha basada en casos anteriores sería demasiado temprana.`;
    case 'DECISIONS_STOPPED': {
      const { recent, baseline } = estimate.decisionPace;
      // Nothing decided in the whole baseline: there is no pace that stopped, only none yet.
      if (baseline.decided === 0) {
        return en
          ? `No case like yours has been decided in the last ${baseline.weeks} weeks. Until cases like yours are being decided, past cases do not tell us when your case might be.`
          : `En las últimas ${baseline.weeks} semanas no se ha decidido ningún caso como el suyo. Mientras no se decidan casos como el suyo, los casos anteriores no nos dicen cuándo podría decidirse el suyo.`;
      }
      if (recent.decided === 0) {
        return en
          ? `No case like yours has been decided in the last ${recent.weeks} weeks, against ${cases(baseline.decided, language)} in the last ${baseline.weeks}. Until decisions pick up again, past speed does not tell us when your case might be decided.`
          : `En las últimas ${recent.weeks} semanas no se ha decidido ningún caso como el suyo, frente a ${cases(baseline.decided, language)} en las últimas ${baseline.weeks}. Hasta que se reanuden las decisiones, la rapidez pasada no nos dice cuándo podría decidirse su caso.`;
      }
      return en
        ? `Decisions on cases like yours have nearly stopped: about ${number(recent.perWeek, language)} a week over the last ${recent.weeks} weeks, against ${number(baseline.perWeek, language)} a week over the last ${baseline.weeks}. Until they pick up again, past speed does not tell us when your case might be decided.`
        : `Las decisiones sobre casos como el suyo casi se han detenido: unas ${number(recent.perWeek, language)} por semana en las últimas ${recent.weeks} semanas, frente a ${number(baseline.perWeek, language)} por semana en las últimas ${baseline.weeks}. Hasta que se reanuden, la rapidez pasada no nos dice cuándo podría decidirse su caso.`;
    }
    default:
      // Unreachable while every code is worded above; the compiler holds that.
      return reason.code satisfies never;
  }
}

/**
 * Who "cases like yours" are: on the calendar clock, those that waited as long; on the queue
 * clock, those as far along their line, at the recent pace (see `TimeScale`).
 */
function likeYours(estimate: Pick<CaseEstimate, 'queueProgress'>, language: EstimateLanguage): { lead: string; who: string } {
  const weeks = estimate.queueProgress?.paceWeeks;
  if (weeks === undefined) return { lead: '', who: language === 'en' ? 'cases like yours that have waited this long' : 'casos como el suyo que han esperado este tiempo' };
  return language === 'en'
    ? { lead: `At the pace of the last ${weeks} weeks, `, who: 'cases like yours that were as far along in the line as yours' }
    : { lead: `Al ritmo de las últimas ${weeks} semanas, `, who: 'casos como el suyo que estaban tan avanzados en la fila como el suyo' };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function datesSentence(estimate: Pick<CaseEstimate, 'likelyBy' | 'eightyPercentBy' | 'queueProgress'>, language: EstimateLanguage): string {
  const { likelyBy, eightyPercentBy } = estimate;
  const en = language === 'en';
  const { lead, who } = likeYours(estimate, language);
  const sentences: string[] = [];
  if (eightyPercentBy) {
    const date = formatEstimateDate(eightyPercentBy.date, language);
    const tenths = inTen(eightyPercentBy.probability, language);
    sentences.push(
      capitalized(en ? `${lead}most ${who} are decided by ${date} (${tenths} of them).` : `${lead}la mayoría de los ${who} se deciden a más tardar el ${date} (${tenths}).`),
    );
  }
  if (likelyBy) {
    const date = formatEstimateDate(likelyBy.date, language);
    sentences.push(
      eightyPercentBy
        ? en
          ? `About half are decided by ${date}.`
          : `Aproximadamente la mitad se decide a más tardar el ${date}.`
        : capitalized(en ? `${lead}about half of the ${who} are decided by ${date}.` : `${lead}aproximadamente la mitad de los ${who} se decide a más tardar el ${date}.`),
    );
  }
  return sentences.join(' ');
}

/** Where the case stands in its cohort's queue and how fast that queue has been moving. */
function queueWording(estimate: Pick<CaseEstimate, 'queue'>, language: EstimateLanguage): string {
  const { openAhead, last4Weeks, standstill } = estimate.queue;
  const en = language === 'en';
  const ahead = en
    ? `${cases(openAhead, language)} like yours, received before yours, ${openAhead === 1 ? 'is' : 'are'} still waiting.`
    : `${cases(openAhead, language)} como el suyo, recibido${openAhead === 1 ? '' : 's'} antes que el suyo, ${openAhead === 1 ? 'sigue' : 'siguen'} esperando.`;
  const pace = standstill
    ? en
      ? `No case like yours has been decided in the last ${last4Weeks.weeks} weeks.`
      : `En las últimas ${last4Weeks.weeks} semanas no se ha decidido ningún caso como el suyo.`
    : en
      ? `Over the last ${last4Weeks.weeks} weeks, about ${cases(last4Weeks.perWeek, language)} like yours were decided each week.`
      : `En las últimas ${last4Weeks.weeks} semanas se decidieron unos ${cases(last4Weeks.perWeek, language)} como el suyo por semana.`;
  return `${ahead} ${pace}`;
}

/** How long the case has been at its step, against the usual time at that step. */
export function stalenessWording(staleness: Staleness, language: EstimateLanguage): string {
  const en = language === 'en';
  const waited = en ? `Your case has been at this step for ${days(staleness.daysSinceLastStep, language)}.` : `Su caso lleva ${days(staleness.daysSinceLastStep, language)} en este paso.`;
  const gap = staleness.usualGap;
  if (gap === null || staleness.stale === null) {
    return `${waited} ${en ? 'Too few cases like yours have gone through this step to say what is usual.' : 'Muy pocos casos como el suyo han pasado por este paso como para saber qué es lo habitual.'}`;
  }
  if (staleness.stale) {
    return `${waited} ${
      en
        ? `9 in 10 cases like yours moved on from it within ${days(gap.p90Days, language)}. If you have not heard from the agency, you can ask it about your case.`
        : `9 de cada 10 casos como el suyo pasaron al paso siguiente en ${days(gap.p90Days, language)} o menos. Si no ha tenido noticias de la agencia, puede consultarle sobre su caso.`
    }`;
  }
  return `${waited} ${
    en
      ? `Cases like yours usually move on within ${days(gap.medianDays, language)}, and 9 in 10 within ${days(gap.p90Days, language)}.`
      : `Los casos como el suyo suelen pasar al paso siguiente en ${days(gap.medianDays, language)}, y 9 de cada 10 en ${days(gap.p90Days, language)} o menos.`
  }`;
}

/** "Your case is taking longer than most; here is what you can do", with the agency's route when known. */
function longWaitAdvice(inquiry: AgencyInquiry | null, language: EstimateLanguage): string {
  const en = language === 'en';
  const lead = en ? 'Your case is taking longer than most. Here is what you can do: ' : 'Su caso está tardando más que la mayoría. Esto es lo que puede hacer: ';
  const route = inquiry
    ? `${inquiry.howTo[language]} (${inquiry.url})`
    : en
      ? 'you can ask the agency about your case.'
      : 'puede consultar a la agencia sobre su caso.';
  return `${lead}${route}`;
}

/**
 * The long-wait answer in plain words: how long the case has waited against the cases decided
 * lately, its place in the line it joined and the cases still ahead of it, how fast the line
 * moves now, a date only where the queue clock gives one, then what the person can do.
 */
function longWaitWording(longWait: LongWait, inquiry: AgencyInquiry | null, language: EstimateLanguage): string {
  const en = language === 'en';
  const sentences: string[] = [];
  const usual = longWait.mostDecidedWithinDays;
  if (usual !== null && longWait.ageDays > usual) {
    sentences.push(
      en
        ? `Your case has waited ${days(longWait.ageDays, language)}. 8 in 10 cases like yours decided recently took ${days(usual, language)} or less.`
        : `Su caso lleva ${days(longWait.ageDays, language)} esperando. 8 de cada 10 casos como el suyo decididos recientemente tardaron ${days(usual, language)} o menos.`,
    );
  } else {
    sentences.push(
      en
        ? `Your case has waited ${days(longWait.ageDays, language)}, longer than the cases like yours that were decided.`
        : `Su caso lleva ${days(longWait.ageDays, language)} esperando, más que los casos como el suyo que ya se decidieron.`,
    );
  }
  if (longWait.queueJoined !== null) {
    const before = longWait.queueJoined - 1;
    sentences.push(
      en
        ? `When it was received, ${before === 0 ? 'no case like it was' : `${cases(before, language)} like it ${before === 1 ? 'was' : 'were'}`} waiting ahead of it.`
        : `Cuando se recibió, ${before === 0 ? 'no había ningún caso como el suyo' : `había ${cases(before, language)} como el suyo`} esperando antes que él.`,
    );
  }
  const ahead = longWait.openAhead;
  sentences.push(
    ahead === 0
      ? en
        ? 'No case like yours received before it is still waiting.'
        : 'Ya no queda esperando ningún caso como el suyo recibido antes que él.'
      : en
        ? `${cases(ahead, language)} like yours received before it ${ahead === 1 ? 'is' : 'are'} still waiting.`
        : `${ahead === 1 ? 'Sigue' : 'Siguen'} esperando ${cases(ahead, language)} como el suyo recibido${ahead === 1 ? '' : 's'} antes que él.`,
  );
  const [recent, , longest] = longWait.recentPace;
  sentences.push(
    recent.decided === 0
      ? en
        ? `No case like yours has been decided in the last ${recent.weeks} weeks (about ${number(longest.perWeek, language)} a week over the last ${longest.weeks}).`
        : `En las últimas ${recent.weeks} semanas no se ha decidido ningún caso como el suyo (unos ${number(longest.perWeek, language)} por semana en las últimas ${longest.weeks}).`
      : en
        ? `Over the last ${recent.weeks} weeks, about ${number(recent.perWeek, language)} cases like yours were decided each week (${number(longest.perWeek, language)} a week over the last ${longest.weeks}).`
        : `En las últimas ${recent.weeks} semanas se decidieron unos ${number(recent.perWeek, language)} casos como el suyo por semana (${number(longest.perWeek, language)} por semana en las últimas ${longest.weeks}).`,
  );
  const date = longWait.date;
  if (date) {
    const shown = formatEstimateDate(date.date, language);
    sentences.push(
      en
        ? `At that pace, ${share(date.probability, language)} of the cases as far along in the line as yours are decided by ${shown}.`
        : `A ese ritmo, ${date.probability === 0.5 ? 'la mitad' : share(date.probability, language)} de los casos tan avanzados en la fila como el suyo se deciden a más tardar el ${shown}.`,
    );
  } else {
    sentences.push(
      en
        ? 'We cannot honestly give a date for it: past cases do not show when a case that has waited this long is decided.'
        : 'No podemos darle una fecha honesta: los casos anteriores no muestran cuándo se decide un caso que ha esperado tanto.',
    );
  }
  sentences.push(longWaitAdvice(inquiry, language));
  return sentences.join(' ');
}

/**
 * Every text of a case estimate, in one language. `inquiry` is the agency's route for asking
 * about a case (`AgencyConfig.inquiry`), for the long-wait advice.
 */
export function caseEstimateWording(estimate: CaseEstimate, language: EstimateLanguage, inquiry: AgencyInquiry | null = null): CaseEstimateWording {
  const reasons = estimate.reasons.map((reason) => reasonWording(reason, estimate, language));
  const disclaimer = DISCLAIMER[language];
  const decided = estimate.reasons.some((reason) => reason.code === 'CASE_DECIDED');
  const dates = datesSentence(estimate, language);
  const source = sourceWording(estimate, language);
  let summary: string;
  const longWait = estimate.longWait && longWaitWording(estimate.longWait, inquiry, language);
  if (decided) summary = reasons[estimate.reasons.findIndex((reason) => reason.code === 'CASE_DECIDED')];
  else if (dates === '') {
    const none = language === 'en' ? 'We cannot give a reliable date for your case right now.' : 'En este momento no podemos darle una fecha confiable para su caso.';
    summary = [none, ...reasons, ...(longWait ? [longWait] : [])].join(' ');
  } else summary = [dates, ...(source ? [source] : []), ...reasons, disclaimer].join(' ');
  return {
    summary,
    reasons,
    queue: queueWording(estimate, language),
    staleness: estimate.staleness && stalenessWording(estimate.staleness, language),
    cohort: source,
    longWait,
    disclaimer,
  };
}

/** The cohort's figures in plain words: the published-style ones, then what counting the waiting cases changes. */
export function cohortEstimateWording(cohort: CohortEstimate, language: EstimateLanguage): string {
  const en = language === 'en';
  const { publishedStyle: published, curve } = cohort;
  const sentences: string[] = [];
  if (published.medianDays === null || published.p80Days === null) {
    sentences.push(en ? `No case was decided in the last ${days(published.windowDays, language)}.` : `En los últimos ${days(published.windowDays, language)} no se decidió ningún caso.`);
  } else {
    sentences.push(
      en
        ? `Of the ${cases(published.decidedCount, language)} decided in the last ${days(published.windowDays, language)}, half took ${days(published.medianDays, language)} or less and 8 in 10 took ${days(published.p80Days, language)} or less.`
        : `De los ${cases(published.decidedCount, language)} decididos en los últimos ${days(published.windowDays, language)}, la mitad tardó ${days(published.medianDays, language)} o menos y 8 de cada 10 tardaron ${days(published.p80Days, language)} o menos.`,
    );
  }
  const pace = curve.periodDays === null ? '' : en ? `, at the pace of the last ${days(curve.periodDays, language)}` : `, al ritmo de los últimos ${days(curve.periodDays, language)}`;
  const waiting = en ? `Counting the ${cases(curve.censored, language)} still waiting${pace}` : `Si se cuentan también los ${cases(curve.censored, language)} que siguen esperando${pace}`;
  const range = (q: { lower: number | null; upper: number | null }) =>
    q.lower !== null && q.upper !== null ? (en ? ` (likely between ${q.lower} and ${q.upper})` : ` (probablemente entre ${q.lower} y ${q.upper})`) : '';
  if (curve.median.days === null) {
    sentences.push(en ? `${waiting}, too many cases are still open to say how long half of all cases take.` : `${waiting}, hay demasiados casos abiertos para saber cuánto tarda la mitad de todos los casos.`);
  } else if (curve.p80.days === null) {
    sentences.push(
      en
        ? `${waiting}, half of all cases take about ${days(curve.median.days, language)}${range(curve.median)}; too many are still open to say how long 8 in 10 take.`
        : `${waiting}, la mitad de todos los casos tarda unos ${days(curve.median.days, language)}${range(curve.median)}; hay demasiados abiertos para saber cuánto tardan 8 de cada 10.`,
    );
  } else {
    sentences.push(
      en
        ? `${waiting}, half of all cases take about ${days(curve.median.days, language)}${range(curve.median)} and 8 in 10 about ${days(curve.p80.days, language)}${range(curve.p80)}.`
        : `${waiting}, la mitad de todos los casos tarda unos ${days(curve.median.days, language)}${range(curve.median)} y 8 de cada 10, unos ${days(curve.p80.days, language)}${range(curve.p80)}.`,
    );
  }
  sentences.push(
    en
      ? 'These figures describe past cases; they are not a promise about any one case.'
      : 'Estas cifras describen casos anteriores; no son una promesa sobre ningún caso en particular.',
  );
  return sentences.join(' ');
}
