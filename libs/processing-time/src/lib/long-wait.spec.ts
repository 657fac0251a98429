import { AGENCIES } from '@case-status/case-domain';
import { growingBacklog, steadyDecided } from '../testing/cohorts';
import { estimateCase, estimateCases, RECOMMENDED_ESTIMATE_OPTIONS } from './estimate-case';
import type { CaseEstimate } from './estimate.types';
import { longWaitOf } from './long-wait';
import type { CaseObservation } from './observations';
import { caseEstimateWording } from './wording';

const onQueue = RECOMMENDED_ESTIMATE_OPTIONS;

describe('the long-wait answer', () => {
  it('is given to pending cases older than 8 in 10 recently decided ones, and to no other', () => {
    const asOf = 364;
    const cohort = growingBacklog(asOf);
    const pendingDays = [...new Set(cohort.filter((c) => c.receivedAt <= asOf && (c.decidedAt ?? Infinity) > asOf).map((c) => c.receivedAt))];
    const estimates = estimateCases({ cohort, cases: pendingDays.map((receivedAt) => ({ receivedAt })), asOf, options: onQueue });
    const usual = estimates[0].publishedStyle.p80Days ?? 0;
    expect(usual).toBeGreaterThan(0);
    estimates.forEach((estimate) => expect(estimate.longWait !== null).toBe(estimate.ageDays > usual));
    expect(estimates.filter((estimate) => estimate.longWait !== null).length).toBeGreaterThan(100);
    expect(estimates.filter((estimate) => estimate.longWait === null).length).toBeGreaterThan(10);
    const [decided] = estimateCases({ cohort, cases: [{ receivedAt: 10, decidedAt: 300 }], asOf, options: onQueue });
    expect(decided.longWait).toBeNull();
  });

  it('never gives a date already past, for any long-waiter on any day', () => {
    let dated = 0;
    let undated = 0;
    for (const asOf of [200, 250, 300, 364]) {
      const cohort = growingBacklog(asOf);
      const cases = cohort.filter((c, i) => i % 3 === 0 && c.receivedAt <= asOf && (c.decidedAt ?? Infinity) > asOf).map((c) => ({ receivedAt: c.receivedAt }));
      for (const estimate of estimateCases({ cohort, cases, asOf, options: onQueue })) {
        if (!estimate.longWait) continue;
        if (estimate.longWait.date === null) undated++;
        else {
          dated++;
          expect(estimate.longWait.date.day).toBeGreaterThan(asOf);
          expect(estimate.longWait.date.daysFromAsOf).toBeGreaterThanOrEqual(1);
        }
      }
    }
    expect(dated).toBeGreaterThan(50);
    expect(undated).toBeGreaterThan(0);
  });

  it('is given to a case older than every decided case, even without decisions in the published window', () => {
    const asOf = 364;
    const estimate: Omit<CaseEstimate, 'longWait'> = estimateCase({ cohort: growingBacklog(asOf), case: { receivedAt: 20 }, asOf, options: onQueue });
    const withoutFigures = { ...estimate, reasons: [], publishedStyle: { ...estimate.publishedStyle, p80Days: null } };
    expect(longWaitOf(withoutFigures)).toBeNull();
    const older = { code: 'OLDER_THAN_DECIDED_CASES' as const, probability: null, observed: null, threshold: null };
    expect(longWaitOf({ ...withoutFigures, reasons: [older], likelyBy: null, eightyPercentBy: null })).toMatchObject({ ageDays: 344, mostDecidedWithinDays: null, date: null });
  });

  it('drops a date that is not after the as-of day, whatever the estimate says', () => {
    const asOf = 364;
    const estimate = estimateCase({ cohort: growingBacklog(asOf), case: { receivedAt: 200 }, asOf, options: onQueue });
    expect(estimate.longWait?.date).not.toBeNull();
    const past = (day: number) => ({ ...(estimate.eightyPercentBy as NonNullable<CaseEstimate['eightyPercentBy']>), day, daysFromAsOf: day - asOf });
    const rest: Omit<CaseEstimate, 'longWait'> = estimate;
    expect(longWaitOf({ ...rest, eightyPercentBy: past(asOf), likelyBy: null })?.date).toBeNull();
    expect(longWaitOf({ ...rest, eightyPercentBy: past(asOf - 30), likelyBy: past(asOf - 40) })?.date).toBeNull();
    expect(longWaitOf({ ...rest, eightyPercentBy: null, likelyBy: past(asOf + 1) })?.date?.day).toBe(asOf + 1);
  });

  it('places the case in its line: only open cases received on an earlier day are ahead of it', () => {
    const asOf = 400;
    const cohort: CaseObservation[] = [
      ...steadyDecided(390, 35),
      { receivedAt: 100, decidedAt: null },
      // Ahead: received earlier and still open on the as-of day (one is decided only later).
      { receivedAt: 50, decidedAt: null },
      { receivedAt: 60, decidedAt: null, count: 2 },
      { receivedAt: 99, decidedAt: 450 },
      // Not ahead: decided already, received the same day, or later.
      { receivedAt: 40, decidedAt: 90 },
      { receivedAt: 100, decidedAt: null },
      { receivedAt: 101, decidedAt: null },
      { receivedAt: 300, decidedAt: null },
    ];
    const estimate = estimateCase({ cohort, case: { receivedAt: 100 }, asOf, options: onQueue });
    expect(estimate.longWait).toMatchObject({ ageDays: 300, openAhead: 4, mostDecidedWithinDays: estimate.publishedStyle.p80Days });
    // The line it joined on day 100: the cases received before it not yet decided then, plus itself.
    const waitingThen = cohort.filter((c) => c.receivedAt < 100 && (c.decidedAt === null || c.decidedAt >= 100)).reduce((sum, c) => sum + (c.count ?? 1), 0);
    expect(estimate.longWait?.queueJoined).toBe(waitingThen + 1);
    expect(estimate.longWait?.recentPace.map((rate) => rate.weeks)).toEqual([4, 12, 26]);
    expect(estimate.longWait?.recentPace[0]).toEqual(estimate.queue.last4Weeks);
  });

  it('gives no date on the calendar clock, and says so, with the agency’s inquiry route, in both languages', () => {
    const asOf = 400;
    const cohort = [...steadyDecided(390, 40), { receivedAt: 100, decidedAt: null }];
    const estimate = estimateCase({ cohort, case: { receivedAt: 100 }, asOf });
    expect(estimate.eightyPercentBy).toBeNull();
    expect(estimate.longWait).toMatchObject({ ageDays: 300, queueJoined: null, date: null });
    const { inquiry } = AGENCIES['USCIS'];
    const en = caseEstimateWording(estimate, 'en', inquiry);
    expect(en.longWait).toMatch(/^Your case has waited 300 days\. 8 in 10 cases like yours decided recently took \d+ days or less\./);
    expect(en.longWait).toContain('We cannot honestly give a date for it');
    expect(en.longWait).toMatch(/Your case is taking longer than most\. Here is what you can do: if your case is outside USCIS’s normal processing time, .* \(https:\/\/egov\.uscis\.gov\/e-request\/\)$/);
    expect(en.summary).toMatch(/^We cannot give a reliable date for your case right now\. .*Here is what you can do: /);
    const es = caseEstimateWording(estimate, 'es', inquiry);
    expect(es.longWait).toMatch(/^Su caso lleva 300 días esperando\./);
    expect(es.longWait).toContain('Su caso está tardando más que la mayoría. Esto es lo que puede hacer: si su caso está fuera del tiempo normal de trámite de USCIS');
    expect(caseEstimateWording(estimate, 'en').longWait).toMatch(/Here is what you can do: you can ask the agency about your case\.$/);
  });

  it('on the queue clock, says where the case joined its line and gives the date, then what to do', () => {
    const asOf = 364;
    const estimate = estimateCase({ cohort: growingBacklog(asOf), case: { receivedAt: 200 }, asOf, options: onQueue });
    const text = caseEstimateWording(estimate, 'en', AGENCIES['VBA'].inquiry);
    const joined = (estimate.longWait?.queueJoined ?? 0) - 1;
    expect(text.longWait).toContain(`When it was received, ${joined.toLocaleString('en-US')} cases like it were waiting ahead of it.`);
    expect(text.longWait).toContain(`${(estimate.longWait?.openAhead ?? 0).toLocaleString('en-US')} cases like yours received before it are still waiting.`);
    expect(text.longWait).toMatch(/At that pace, 8 in 10 of the cases as far along in the line as yours are decided by \w+ \d+, \d{4}\./);
    expect(text.longWait).toMatch(/Your case is taking longer than most\. Here is what you can do: ask VA about your claim .* \(https:\/\/ask\.va\.gov\/\)$/);
    // The summary of a dated estimate stays the dates and the disclaimer; the long-wait text is beside it.
    expect(text.summary).not.toContain('longer than most');
  });
});
