import type { Language } from '@case-status/case-domain';
import { renderToString } from 'preact-render-to-string';
import { MESSAGES } from '../i18n/messages';
import type { CaseEstimate } from '../estimate-view';
import { Estimate } from './estimate';
import type { PageContext } from './page-context';

const context = (language: Language): PageContext => ({
  language,
  t: MESSAGES[language],
  path: '/case/IOE0912345678',
  assets: { css: '/assets/site.css', siteJs: '/assets/site.js', caseLiveJs: '/assets/case-live.js', uswdsPath: '/assets/uswds' },
  timeZone: 'America/New_York',
  now: new Date('2026-11-24T15:00:00Z'),
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('the estimate on the case page', () => {
  const withDates: NonNullable<CaseEstimate> = {
    asOf: '2026-11-24',
    clock: 'CALENDAR',
    queueProgress: null,
    cohort: { pooled: false, explanation: null },
    likelyBy: { date: '2027-01-15', probability: 0.5, atRisk: 120 },
    eightyPercentBy: { date: '2027-03-01', probability: 0.8, atRisk: 40 },
    reasons: [],
    staleness: { stale: false, explanation: { en: 'Your case has been at this step for 22 days; most cases take up to 30.', es: 'Su caso lleva 22 días en este paso; la mayoría tarda hasta 30.' } },
    longWait: null,
    disclaimer: { en: 'This is an estimate, not a promise.', es: 'Es una estimación, no una promesa.' },
  };

  it('gives both dates as what past cases did, what they rest on, and that it is no promise', () => {
    expect(text(renderToString(<Estimate context={context('en')} estimate={withDates} decided={false} />))).toBe(
      'When to expect a decision Likely by January 15, 2027. Of the cases like yours (same form, same office) that had waited as long as yours, 50 in 100 were decided by January 15, 2027. Based on 120 cases still waiting at that point. ' +
        '80 in 100 by March 1, 2027. Of the cases like yours (same form, same office) that had waited as long as yours, 80 in 100 were decided by March 1, 2027. Based on 40 cases still waiting at that point. ' +
        'Your case has been at this step for 22 days; most cases take up to 30. This is an estimate, not a promise.',
    );
  });

  it('on the queue clock, speaks of cases as far along in the line, at the recent pace, in both languages', () => {
    const onQueue: CaseEstimate = { ...withDates, clock: 'QUEUE', queueProgress: { paceWeeks: 4 } };
    expect(text(renderToString(<Estimate context={context('en')} estimate={onQueue} decided={false} />))).toContain(
      'Likely by January 15, 2027. Of the cases like yours (same form, same office) that were as far along in the line as yours, 50 in 100 are decided by January 15, 2027 at the pace of the last 4 weeks.',
    );
    expect(text(renderToString(<Estimate context={context('es')} estimate={onQueue} decided={false} />))).toContain(
      'que estaban tan avanzados en la fila como el suyo, 80 de cada 100 tienen una decisión para el 1 de marzo de 2027 al ritmo de las últimas 4 semanas.',
    );
  });

  it('says when the dates come from the form at every office of the agency, in both languages', () => {
    const pooled: CaseEstimate = {
      ...withDates,
      clock: 'QUEUE',
      queueProgress: { paceWeeks: 4 },
      cohort: { pooled: true, explanation: { en: 'Your office has decided too few cases like yours.', es: 'Su oficina ha decidido muy pocos casos como el suyo.' } },
    };
    const en = text(renderToString(<Estimate context={context('en')} estimate={pooled} decided={false} />));
    expect(en).toContain('Of the cases like yours (same form, every office of the agency) that were as far along in the line as yours, 80 in 100 are decided by March 1, 2027');
    expect(en).toContain('Based on 40 cases still waiting at that point. Your office has decided too few cases like yours. Your case has been at this step');
    expect(en).not.toContain('same office');
    const es = text(renderToString(<Estimate context={context('es')} estimate={pooled} decided={false} />));
    expect(es).toContain('De los casos como el suyo (mismo formulario, todas las oficinas de la agencia) que estaban tan avanzados en la fila');
    expect(es).toContain('Su oficina ha decidido muy pocos casos como el suyo.');
    expect(text(renderToString(<Estimate context={context('en')} estimate={withDates} decided={false} />))).not.toContain('every office');
  });

  it('gives a long-waiter the API’s answer and a link to the agency’s inquiry page, in the page’s language', () => {
    const explanation = { en: 'Your case is taking longer than most. Here is what you can do: ask.', es: 'Su caso está tardando más que la mayoría. Esto es lo que puede hacer: consulte.' };
    const longWait: CaseEstimate = { ...withDates, likelyBy: null, eightyPercentBy: null, staleness: null, longWait: { explanation, inquiry: { url: 'https://egov.uscis.gov/e-request/' } } };
    const en = renderToString(<Estimate context={context('en')} estimate={longWait} decided={false} />);
    expect(text(en)).toContain('Your case is taking longer than most. Here is what you can do: ask. Ask the agency about your case');
    expect(en).toContain('<a class="usa-link" href="https://egov.uscis.gov/e-request/">Ask the agency about your case</a>');
    const es = text(renderToString(<Estimate context={context('es')} estimate={longWait} decided={false} />));
    expect(es).toContain('Su caso está tardando más que la mayoría. Esto es lo que puede hacer: consulte. Consulte a la agencia sobre su caso');
    const hostile = renderToString(<Estimate context={context('en')} estimate={{ ...longWait, longWait: { explanation, inquiry: { url: 'javascript:alert(1)' } } }} decided={false} />);
    expect(hostile).not.toContain('javascript:');
    expect(hostile).not.toContain('<a ');
  });

  it('says first that there is no reliable date, then why, in the page’s language', () => {
    const none: CaseEstimate = {
      ...withDates,
      likelyBy: null,
      eightyPercentBy: null,
      staleness: null,
      reasons: [
        { code: 'TOO_FEW_DECIDED', probability: null, message: { en: 'Only 5 decided.', es: 'Solo 5 decididos.' } },
        { code: 'DECISIONS_STOPPED', probability: null, message: { en: 'Decisions have nearly stopped.', es: 'Las decisiones casi se detuvieron.' } },
      ],
    };
    expect(text(renderToString(<Estimate context={context('es')} estimate={none} decided={false} />))).toBe(
      'Cuándo esperar una decisión En este momento no podemos darle una fecha confiable para este caso. Solo 5 decididos. Las decisiones casi se detuvieron. Es una estimación, no una promesa.',
    );
  });

  it('has nothing to estimate after a decision', () => {
    expect(text(renderToString(<Estimate context={context('en')} estimate={withDates} decided />))).toBe(`When to expect a decision ${MESSAGES.en.estimate.decided}`);
  });

  it('says there is no reliable date, with the site’s own words of caution, when the API gives no estimate', () => {
    expect(text(renderToString(<Estimate context={context('en')} estimate={null} decided={false} />))).toBe(`When to expect a decision ${MESSAGES.en.estimate.none} ${MESSAGES.en.estimate.honesty}`);
  });
});
