import { readEstimate, type CaseEstimate } from './estimate-view';

const estimate = (parts: Partial<NonNullable<CaseEstimate>>): CaseEstimate => ({
  asOf: '2026-11-24',
  clock: 'CALENDAR',
  queueProgress: null,
  cohort: { pooled: false, explanation: null },
  likelyBy: null,
  eightyPercentBy: null,
  reasons: [],
  staleness: null,
  longWait: null,
  disclaimer: { en: 'Not a promise.', es: 'No es una promesa.' },
  ...parts,
});

describe('reading an estimate', () => {
  it('takes both dates, earliest level first, with what they rest on', () => {
    expect(
      readEstimate(
        estimate({
          eightyPercentBy: { date: '2027-03-01', probability: 0.8, atRisk: 40 },
          likelyBy: { date: '2027-01-15', probability: 0.5, atRisk: 120 },
        }),
      ),
    ).toEqual({
      dates: [
        { probability: 0.5, date: '2027-01-15', atRisk: 120 },
        { probability: 0.8, date: '2027-03-01', atRisk: 40 },
      ],
      reasons: [],
      staleness: null,
      disclaimer: { en: 'Not a promise.', es: 'No es una promesa.' },
      paceWeeks: null,
      pooled: false,
      source: null,
      longWait: null,
    });
  });

  it('knows when the dates come from the form at every office of the agency, in the API’s words', () => {
    const explanation = { en: 'These dates come from all offices.', es: 'Estas fechas vienen de todas las oficinas.' };
    expect(readEstimate(estimate({ cohort: { pooled: true, explanation } }))).toMatchObject({ pooled: true, source: explanation });
    expect(readEstimate(estimate({}))).toMatchObject({ pooled: false, source: null });
  });

  it('says where the dates come from when they are read over a longer period, of the office itself', () => {
    const explanation = { en: 'These dates come from the last 12 months.', es: 'Estas fechas vienen de los últimos 12 meses.' };
    expect(readEstimate(estimate({ cohort: { pooled: false, explanation } }))).toMatchObject({ pooled: false, source: explanation });
  });

  it('keeps the long-wait answer, and links only to an https inquiry page', () => {
    const explanation = { en: 'Your case is taking longer than most.', es: 'Su caso está tardando más que la mayoría.' };
    const withUrl = (url: string) => readEstimate(estimate({ longWait: { explanation, inquiry: { url } } }))?.longWait;
    expect(withUrl('https://egov.uscis.gov/e-request/')).toEqual({ explanation, inquiryUrl: 'https://egov.uscis.gov/e-request/' });
    expect(withUrl('javascript:alert(1)')?.inquiryUrl).toBeNull();
    expect(withUrl('http://example.com/')?.inquiryUrl).toBeNull();
    expect(withUrl('not a url')?.inquiryUrl).toBeNull();
    expect(readEstimate(estimate({ longWait: { explanation, inquiry: null } }))?.longWait).toEqual({ explanation, inquiryUrl: null });
  });

  it('knows a date read on the queue clock, and the weeks of pace behind it', () => {
    const dates = { likelyBy: { date: '2027-01-15', probability: 0.5, atRisk: 120 } };
    expect(readEstimate(estimate({ ...dates, clock: 'QUEUE', queueProgress: { paceWeeks: 4 } }))?.paceWeeks).toBe(4);
    expect(readEstimate(estimate({ ...dates, clock: 'CALENDAR', queueProgress: null }))?.paceWeeks).toBeNull();
    // On the calendar clock the dates are days waited, whatever the queue's pace.
    expect(readEstimate(estimate({ ...dates, clock: 'CALENDAR', queueProgress: { paceWeeks: 4 } }))?.paceWeeks).toBeNull();
  });

  it('keeps the reasons for a withheld date with the API’s own words', () => {
    const view = readEstimate(
      estimate({ reasons: [{ code: 'TOO_FEW_DECIDED', probability: null, message: { en: 'Only 5.', es: 'Solo 5.' } }], staleness: { stale: true, explanation: { en: '23 days.', es: '23 días.' } } }),
    );
    expect(view).toEqual({
      dates: [],
      reasons: [{ code: 'TOO_FEW_DECIDED', message: { en: 'Only 5.', es: 'Solo 5.' } }],
      staleness: { en: '23 days.', es: '23 días.' },
      disclaimer: { en: 'Not a promise.', es: 'No es una promesa.' },
      paceWeeks: null,
      pooled: false,
      source: null,
      longWait: null,
    });
  });

  it('is null without an estimate', () => {
    expect(readEstimate(null)).toBeNull();
  });
});
