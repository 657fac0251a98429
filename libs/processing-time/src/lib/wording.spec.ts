import { growingBacklog, steadyDecided } from '../testing/cohorts';
import { LANGUAGES } from '@case-status/case-domain';
import { estimateCase, estimateCohort, RECOMMENDED_ESTIMATE_OPTIONS } from './estimate-case';
import type { CaseEstimate, NoEstimateReason, NoEstimateReasonCode } from './estimate.types';
import { caseEstimateWording, cohortEstimateWording, formatEstimateDate, reasonWording, stalenessWording } from './wording';

// Phrases that would turn an estimate into a promise about this one case.
const PROMISES = [/will be decided/i, /guarantee/i, /se decidirá\b/i, /garantiza/i, /\bwe will decide\b/i, /decidiremos/i];
const expectNoPromise = (text: string) => PROMISES.forEach((promise) => expect(text).not.toMatch(promise));

describe('caseEstimateWording', () => {
  const cohort = growingBacklog();
  const dated = estimateCase({ cohort, case: { receivedAt: 300 }, asOf: 364 });

  it('gives the dates as what most cases like this one did, with the disclaimer, in English and Spanish', () => {
    expect(dated.eightyPercentBy?.date).toBe('1971-08-02');
    expect(caseEstimateWording(dated, 'en').summary).toBe(
      'Most cases like yours that have waited this long are decided by August 2, 1971 (8 in 10 of them). About half are decided by June 29, 1971. ' +
        'This is an estimate from how long past cases like yours took, not a promise. Your case may take more or less time, and the estimate changes as cases are decided.',
    );
    expect(caseEstimateWording(dated, 'es').summary).toBe(
      'La mayoría de los casos como el suyo que han esperado este tiempo se deciden a más tardar el 2 de agosto de 1971 (8 de cada 10). Aproximadamente la mitad se decide a más tardar el 29 de junio de 1971. ' +
        'Esto es una estimación basada en lo que tardaron casos anteriores como el suyo, no una promesa. Su caso puede tardar más o menos, y la estimación cambia a medida que se deciden casos.',
    );
  });

  it('on the queue clock, speaks of cases as far along in the line, at the recent pace', () => {
    const onQueue = estimateCase({ cohort, case: { receivedAt: 300 }, asOf: 364, options: RECOMMENDED_ESTIMATE_OPTIONS });
    const en = caseEstimateWording(onQueue, 'en').summary;
    const es = caseEstimateWording(onQueue, 'es').summary;
    expect(onQueue.eightyPercentBy).not.toBeNull();
    expect(en).toMatch(/^At the pace of the last 4 weeks, most cases like yours that were as far along in the line as yours are decided by \w+ \d+, \d{4} \(8 in 10 of them\)\. About half are decided by /);
    expect(es).toMatch(/^Al ritmo de las últimas 4 semanas, la mayoría de los casos como el suyo que estaban tan avanzados en la fila como el suyo se deciden a más tardar el \d+ de \w+ de \d{4} \(8 de cada 10\)\./);
    const halfOnly = caseEstimateWording({ ...onQueue, eightyPercentBy: null }, 'en').summary;
    expect(halfOnly).toMatch(/^At the pace of the last 4 weeks, about half of the cases like yours that were as far along in the line as yours are decided by /);
  });

  it('says when the dates come from the form across the agency\u2019s offices, in either language', () => {
    const onQueue = estimateCase({ cohort, case: { receivedAt: 300 }, asOf: 364, options: RECOMMENDED_ESTIMATE_OPTIONS });
    const pooled = { ...onQueue, pooled: true };
    expect(caseEstimateWording(onQueue, 'en').summary).not.toContain('offices');
    expect(caseEstimateWording(pooled, 'en').summary).toContain("(8 in 10 of them). About half are decided by");
    expect(caseEstimateWording(pooled, 'en').summary).toContain(". Your office has decided too few cases like yours to go on, so these dates come from cases of the same form at all of the agency's offices. This is an estimate");
    expect(caseEstimateWording(pooled, 'es').summary).toContain('. Su oficina ha decidido muy pocos casos como el suyo para basarse en ellos, así que estas fechas vienen de los casos del mismo formulario en todas las oficinas de la agencia. Esto es una estimación');
    expect(caseEstimateWording(onQueue, 'en').cohort).toBeNull();
    expect(caseEstimateWording(pooled, 'en').cohort).toMatch(/^Your office has decided too few cases like yours to go on, so these dates come from cases of the same form at all of the agency's offices\.$/);
    expect(caseEstimateWording(pooled, 'es').cohort).toMatch(/^Su oficina ha decidido muy pocos casos como el suyo .* en todas las oficinas de la agencia\.$/);
  });

  it('says when the dates come from a longer period, of the office or of the form, in either language', () => {
    const onQueue = estimateCase({ cohort, case: { receivedAt: 300 }, asOf: 364, options: { timeScale: 'queue', periodDays: 365 } });
    const extended = { ...onQueue, window: 'extended' as const };
    const both = { ...extended, pooled: true };
    expect(caseEstimateWording(onQueue, 'en').cohort).toBeNull();
    expect(caseEstimateWording(extended, 'en').cohort).toBe('Too few cases like yours were decided recently to go on, so these dates come from cases like yours decided over the last 12 months.');
    expect(caseEstimateWording(both, 'en').cohort).toBe("Too few cases like yours were decided recently to go on, so these dates come from cases of the same form at all of the agency's offices decided over the last 12 months.");
    expect(caseEstimateWording(extended, 'es').cohort).toBe('Se decidieron muy pocos casos como el suyo en los últimos meses para basarse en ellos, así que estas fechas vienen de los casos como el suyo decididos en los últimos 12 meses.');
    expect(caseEstimateWording(both, 'es').cohort).toContain('de los casos del mismo formulario en todas las oficinas de la agencia decididos en los últimos 12 meses.');
    expect(caseEstimateWording(extended, 'en').summary).toContain('(8 in 10 of them). About half are decided by');
    expect(caseEstimateWording(extended, 'en').summary).toContain('. Too few cases like yours were decided recently to go on, so these dates come from cases like yours decided over the last 12 months. This is an estimate');
  });

  it.each([
    ['calendar', {}],
    ['queue', RECOMMENDED_ESTIMATE_OPTIONS],
  ])('never reads as a promise, for any pending case of the cohort, in either language (%s clock)', (_clock, options) => {
    let worded = 0;
    for (const c of cohort.filter((item, i) => i % 11 === 0 && (item.decidedAt === null || item.decidedAt > 364))) {
      const estimate = estimateCase({ cohort, case: { receivedAt: c.receivedAt }, asOf: 364, options });
      for (const language of LANGUAGES) {
        const wording = caseEstimateWording(estimate, language);
        [wording.summary, wording.queue, ...wording.reasons].forEach(expectNoPromise);
        if (estimate.likelyBy || estimate.eightyPercentBy) expect(wording.summary.endsWith(wording.disclaimer)).toBe(true);
        worded++;
      }
    }
    expect(worded).toBeGreaterThan(50);
  });

  it('says why there is no date instead of giving one', () => {
    const thin = estimateCase({ cohort: steadyDecided(200, 12), case: { receivedAt: 190 }, asOf: 200 });
    expect(thin.reasons.map((r) => r.code)).toEqual(['TOO_FEW_DECIDED']);
    expect(caseEstimateWording(thin, 'en').summary).toBe(
      'We cannot give a reliable date for your case right now. Only 12 cases like yours have been decided so far. We give dates once at least 30 have been, because with fewer, one unusual case would move the date a lot.',
    );
    expect(caseEstimateWording(thin, 'es').summary).toBe(
      'En este momento no podemos darle una fecha confiable para su caso. Hasta ahora solo se han decidido 12 casos como el suyo. Damos fechas cuando se han decidido al menos 30, porque con menos, un solo caso poco común movería mucho la fecha.',
    );
  });

  it('tells a decided case there is nothing left to estimate', () => {
    const done = estimateCase({ cohort, case: { receivedAt: 300, decidedAt: 330 }, asOf: 364 });
    expect(caseEstimateWording(done, 'en').summary).toBe('Your case has a decision, so there is nothing left to estimate.');
    expect(caseEstimateWording(done, 'es').summary).toBe('Su caso ya tiene una decisión, así que no queda nada por estimar.');
  });

  it('words every reason code in both languages, with its figures', () => {
    const codes: NoEstimateReasonCode[] = ['CASE_DECIDED', 'TOO_FEW_DECIDED', 'MOST_PEERS_PENDING', 'DECISIONS_STOPPED', 'OLDER_THAN_DECIDED_CASES', 'CURVE_DOES_NOT_REACH', 'TOO_FEW_AT_RISK'];
    const context: Pick<CaseEstimate, 'ageDays' | 'peers' | 'decisionPace'> = {
      ageDays: 412,
      peers: { windowDays: 30, peers: 40, pending: 31, pendingShare: 0.775, expectedPendingShare: 0.2 },
      decisionPace: { recent: { weeks: 4, decided: 2, perWeek: 0.5 }, baseline: { weeks: 26, decided: 520, perWeek: 20 }, ratio: 0.025 },
    };
    const reason = (code: NoEstimateReasonCode, probability: number | null, observed: number | null, threshold: number | null): NoEstimateReason => ({ code, probability, observed, threshold });
    const texts = {
      en: codes.map((code) => reasonWording(reason(code, code.startsWith('TOO_FEW_AT') ? 0.8 : null, code === 'MOST_PEERS_PENDING' ? 0.775 : 7, 10), context, 'en')),
      es: codes.map((code) => reasonWording(reason(code, code.startsWith('TOO_FEW_AT') ? 0.8 : null, code === 'MOST_PEERS_PENDING' ? 0.775 : 7, 10), context, 'es')),
    };
    expect(new Set([...texts.en, ...texts.es]).size).toBe(codes.length * 2);
    for (const text of [...texts.en, ...texts.es]) {
      expect(text).not.toMatch(/undefined|NaN|null/);
      expectNoPromise(text);
    }
    expect(texts.en[2]).toContain('78% of the cases received within 30 days of yours are still waiting');
    expect(texts.es[2]).toContain('El 78 % de los casos recibidos en los 30 días antes o después del suyo sigue esperando');
    expect(texts.en[3]).toContain('about 0.5 a week over the last 4 weeks, against 20 a week over the last 26');
    expect(texts.es[3]).toContain('unas 0,5 por semana en las últimas 4 semanas, frente a 20 por semana en las últimas 26');
    // A pace that fell to nothing, and one that never was: neither reads "about 0 a week".
    const stoppedWith = (recentDecided: number, baselineDecided: number, language: 'en' | 'es') =>
      reasonWording(reason('DECISIONS_STOPPED', null, 0, 0.2), { ...context, decisionPace: { recent: { weeks: 4, decided: recentDecided, perWeek: recentDecided / 4 }, baseline: { weeks: 26, decided: baselineDecided, perWeek: baselineDecided / 26 }, ratio: baselineDecided > 0 ? 0 : null } }, language);
    expect(stoppedWith(0, 520, 'en')).toBe(
      'No case like yours has been decided in the last 4 weeks, against 520 cases in the last 26. Until decisions pick up again, past speed does not tell us when your case might be decided.',
    );
    expect(stoppedWith(0, 520, 'es')).toContain('En las últimas 4 semanas no se ha decidido ningún caso como el suyo, frente a 520 casos en las últimas 26.');
    // One decision in 26 weeks is "1 case", not a rate rounded to nothing.
    expect(stoppedWith(0, 1, 'en')).toContain('against 1 case in the last 26.');
    expect(stoppedWith(0, 0, 'en')).toBe('No case like yours has been decided in the last 26 weeks. Until cases like yours are being decided, past cases do not tell us when your case might be.');
    expect(stoppedWith(0, 0, 'es')).toMatch(/^En las últimas 26 semanas no se ha decidido ningún caso como el suyo\./);
    for (const text of [stoppedWith(0, 520, 'en'), stoppedWith(0, 1, 'es'), stoppedWith(0, 0, 'es')]) expect(text).not.toMatch(/\b0 a week|unos? 0 por/);
    expect(texts.en[4]).toContain('Your case has waited 412 days');
    expect(texts.en[6]).toBe('A date by which 8 in 10 of the cases like yours are decided would rest on only 7 cases that waited that long. We need at least 10.');
    expect(texts.es[6]).toBe('Una fecha para la que ya estén decididos 8 de cada 10 casos como el suyo se basaría en solo 7 casos que esperaron tanto. Necesitamos al menos 10.');
  });

  it('words the queue and the staleness, singular and plural', () => {
    const wording = caseEstimateWording(dated, 'en');
    expect(wording.queue).toMatch(/^[\d,]+ cases like yours, received before yours, are still waiting\. Over the last 4 weeks, about [\d.,]+ cases like yours were decided each week\.$/);
    const one = { ...dated, queue: { ...dated.queue, openAhead: 1 } };
    expect(caseEstimateWording(one, 'es').queue).toMatch(/^1 caso como el suyo, recibido antes que el suyo, sigue esperando\./);
    const stale = { step: 'EVIDENCE_REQUESTED', since: { day: 300, date: '1970-10-28' }, daysSinceLastStep: 64, usualGap: { medianDays: 20, p90Days: 45, sampleSize: 80 }, stale: true };
    expect(stalenessWording(stale, 'en')).toBe(
      'Your case has been at this step for 64 days. 9 in 10 cases like yours moved on from it within 45 days. If you have not heard from the agency, you can ask it about your case.',
    );
    expect(stalenessWording({ ...stale, stale: false, daysSinceLastStep: 1 }, 'es')).toBe(
      'Su caso lleva 1 día en este paso. Los casos como el suyo suelen pasar al paso siguiente en 20 días, y 9 de cada 10 en 45 días o menos.',
    );
    expect(stalenessWording({ ...stale, stale: null }, 'en')).toContain('Too few cases like yours have gone through this step');
  });
});

describe('cohortEstimateWording', () => {
  it('puts the published-style figures beside what counting the waiting cases changes', () => {
    const figures = estimateCohort({ cohort: growingBacklog(), asOf: 364 });
    expect(cohortEstimateWording(figures, 'en')).toBe(
      'Of the 573 cases decided in the last 182 days, half took 31 days or less and 8 in 10 took 39 days or less. ' +
        'Counting the 554 cases still waiting, half of all cases take about 37 days (likely between 36 and 38) and 8 in 10 about 244 days (likely between 234 and 254). ' +
        'These figures describe past cases; they are not a promise about any one case.',
    );
    const es = cohortEstimateWording(figures, 'es');
    expect(es).toContain('De los 573 casos decididos en los últimos 182 días, la mitad tardó 31 días o menos');
    expect(es).toContain('Si se cuentan también los 554 casos que siguen esperando');
    expectNoPromise(es);
  });

  it('says when the curve follows only the recent pace', () => {
    const figures = estimateCohort({ cohort: growingBacklog(), asOf: 364, options: RECOMMENDED_ESTIMATE_OPTIONS });
    expect(cohortEstimateWording(figures, 'en')).toMatch(/Counting the [\d,]+ cases still waiting, at the pace of the last 182 days, half of all cases take about/);
    expect(cohortEstimateWording(figures, 'es')).toMatch(/que siguen esperando, al ritmo de los últimos 182 días, la mitad/);
  });
});

describe('formatEstimateDate', () => {
  it('writes dates out as the status texts do', () => {
    expect(formatEstimateDate('2027-03-04', 'en')).toBe('March 4, 2027');
    expect(formatEstimateDate('2027-03-04', 'es')).toBe('4 de marzo de 2027');
  });
});
