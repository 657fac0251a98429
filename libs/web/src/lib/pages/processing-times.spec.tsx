import type { Language } from '@case-status/case-domain';
import { renderToString } from 'preact-render-to-string';
import { MESSAGES } from '../i18n/messages';
import type { PageContext } from './page-context';
import { ProcessingTimesPage } from './processing-times';

const context = (language: Language): PageContext => ({
  language,
  t: MESSAGES[language],
  path: '/processing-times?form=USCIS:I-130',
  assets: { css: '/assets/site.css', siteJs: '/assets/site.js', caseLiveJs: '/assets/case-live.js', uswdsPath: '/assets/uswds' },
  timeZone: 'America/New_York',
  now: new Date('2026-11-24T15:00:00Z'),
});

const row = (office: string, completedCount: number, pendingCount: number, days: number | null) => ({
  office,
  windowStart: '2026-05-24',
  windowEnd: '2026-11-24',
  completedCount,
  pendingCount,
  medianDays: days,
  p80Days: days === null ? null : days + 30,
  p93Days: days === null ? null : days + 60,
});

describe('processing times page', () => {
  const rows = [row('NBC', 40, 12, 120), row('VSC', 0, 3, null), row('CSC', 0, 0, null), row('NSC', 0, 0, null)];

  it('puts the figures of each office in words, a dash (read out as "no decisions yet") where none was decided, and names the offices without cases once', () => {
    const html = renderToString(<ProcessingTimesPage context={context('en')} selected={{ agency: 'USCIS', formType: 'I-130', rows, accuracy: [] }} />);
    expect(html).toContain('<th scope="row" data-label="Office">National Benefits Center</th><td data-label="Half decided within">120 days</td><td data-label="8 in 10 decided within">150 days</td>');
    expect(html).toContain('<span aria-hidden="true">—</span><span class="usa-sr-only">No decisions yet</span>');
    expect(html).toContain('No cases of this form in the last 6 months at: California Service Center, Nebraska Service Center.');
    expect(html).not.toContain('id="office-CSC"');
    expect(html).toContain('Cases decided from May 24, 2026 to November 24, 2026.');
  });

  it('says the same in Spanish', () => {
    const html = renderToString(<ProcessingTimesPage context={context('es')} selected={{ agency: 'USCIS', formType: 'I-130', rows, accuracy: [] }} />);
    expect(html).toContain('<td data-label="La mitad se decidió en">120 días</td>');
    expect(html).toContain('Casos decididos del 24 de mayo de 2026 al 24 de noviembre de 2026.');
    expect(html).toContain('<option value="USCIS:I-130" selected>');
  });

  describe('how often the dates came true', () => {
    const dates = (scored: number, cameTrue: number, share: number | null, errors: number, median: number | null) => ({ scored, cameTrue, cameTrueShare: share, errors, medianErrorDays: median });
    const accuracy = [
      { month: '2026-10', scoredThrough: '2026-11-23', served: 230, withheld: 23, withheldShare: 0.1, estimates: dates(200, 158, 0.79, 120, 21.5), publishedStyle: dates(230, 92, 0.4, 130, 60) },
      { month: '2026-09', scoredThrough: '2026-11-23', served: 12, withheld: 2, withheldShare: null, estimates: dates(10, 9, null, 8, null), publishedStyle: dates(12, 5, null, 9, null) },
    ];

    it('shows each month beside the published-style dates for the same cases, and only counts where too few cases', () => {
      const html = renderToString(<ProcessingTimesPage context={context('en')} selected={{ agency: 'USCIS', formType: 'I-130', rows, accuracy }} />);
      expect(html).toContain('<h2 id="accuracy-heading">How often our dates came true</h2>');
      expect(html).toContain(
        '<tr id="accuracy-2026-10"><th scope="row" data-label="Month the dates were given">October 2026</th><td data-label="Cases checked">230</td><td data-label="Given no date">10% (of 230)</td><td data-label="Our “8 in 10” dates that came true">79% (of 200)</td><td data-label="Our “likely by” date, typical miss">22 days</td><td data-label="Published-figure dates that came true">40% (of 230)</td><td data-label="Published-figure median, typical miss">60 days</td></tr>',
      );
      const small = html.slice(html.indexOf('id="accuracy-2026-09"'), html.indexOf('</tr>', html.indexOf('id="accuracy-2026-09"')));
      expect(small).toContain('<td data-label="Cases checked">12</td>');
      expect(small.match(/<span class="usa-sr-only">Too few cases to show<\/span>/g)).toHaveLength(5);
      expect(html).toContain('fewer than 20 cases is not shown');
      expect(html).toContain('Decisions counted through November 23, 2026.');
      expect(html).toContain('<a class="usa-link" href="/en/processing-times/accuracy.csv?form=USCIS%3AI-130" download>Download these figures (CSV)</a>');
    });

    it('says the same in Spanish', () => {
      const html = renderToString(<ProcessingTimesPage context={context('es')} selected={{ agency: 'USCIS', formType: 'I-130', rows, accuracy }} />);
      expect(html).toContain('Con qué frecuencia se cumplieron nuestras fechas');
      expect(html).toContain('<th scope="row" data-label="Mes en que se dieron las fechas">octubre de 2026</th>');
      expect(html).toContain('<td data-label="Nuestras fechas «8 de cada 10» que se cumplieron">79 % (de 200)</td>');
      expect(html).toContain('href="/es/processing-times/accuracy.csv?form=USCIS%3AI-130"');
    });

    it('says when no date of the form has been checked yet, instead of an empty table', () => {
      const html = renderToString(<ProcessingTimesPage context={context('en')} selected={{ agency: 'USCIS', formType: 'I-130', rows, accuracy: [] }} />);
      expect(html).toContain('<p data-no-accuracy="true">No dates have been checked for this form yet.</p>');
      expect(html).not.toContain('accuracy.csv');
    });
  });
});
