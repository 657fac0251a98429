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
    const html = renderToString(<ProcessingTimesPage context={context('en')} selected={{ agency: 'USCIS', formType: 'I-130', rows }} />);
    expect(html).toContain('<th scope="row" data-label="Office">National Benefits Center</th><td data-label="Half decided within">120 days</td><td data-label="8 in 10 decided within">150 days</td>');
    expect(html).toContain('<span aria-hidden="true">—</span><span class="usa-sr-only">No decisions yet</span>');
    expect(html).toContain('No cases of this form in the last 6 months at: California Service Center, Nebraska Service Center.');
    expect(html).not.toContain('id="office-CSC"');
    expect(html).toContain('Cases decided from May 24, 2026 to November 24, 2026.');
  });

  it('says the same in Spanish', () => {
    const html = renderToString(<ProcessingTimesPage context={context('es')} selected={{ agency: 'USCIS', formType: 'I-130', rows }} />);
    expect(html).toContain('<td data-label="La mitad se decidió en">120 días</td>');
    expect(html).toContain('Casos decididos del 24 de mayo de 2026 al 24 de noviembre de 2026.');
    expect(html).toContain('<option value="USCIS:I-130" selected>');
  });
});
