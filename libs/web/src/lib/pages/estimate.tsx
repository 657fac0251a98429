/** @jsxRuntime automatic @jsxImportSource preact */
import { readEstimate, type CaseEstimate } from '../estimate-view';
import { formatCalendarDate } from '../i18n/format';
import type { PageContext } from './page-context';

/**
 * The estimated decision window in honest words, or why there is none (the status API's own
 * bilingual reasons and disclaimer). A case the API gives no estimate for (null) is told
 * plainly that there is no reliable date, with the site's own words of caution.
 */
export function Estimate({ context, estimate, decided }: { context: PageContext; estimate: CaseEstimate; decided: boolean }) {
  const { t, language } = context;
  const view = readEstimate(estimate);
  const reasonTexts = [...new Set((view?.reasons ?? []).filter((reason) => !decided || reason.code !== 'CASE_DECIDED').map((reason) => reason.message[language]))];
  const dates = view?.dates ?? [];
  return (
    <section class="usa-summary-box margin-y-4" aria-labelledby="estimate-heading" data-estimate>
      <div class="usa-summary-box__body">
        <h2 class="usa-summary-box__heading" id="estimate-heading">
          {t.estimate.heading}
        </h2>
        <div class="usa-summary-box__text">
          {decided ? (
            <p>{t.estimate.decided}</p>
          ) : (
            <>
              {dates.length > 0 ? (
                <ul class="usa-list" data-estimate-dates>
                  {dates.map((date) => {
                    const shown = formatCalendarDate(language, date.date);
                    const percent = Math.round(date.probability * 100);
                    return (
                      <li key={date.probability}>
                        <strong>{percent === 50 ? t.estimate.likelyBy(shown) : t.estimate.probablyBy(percent, shown)}.</strong> {t.estimate.dateExplained(percent, shown, view?.paceWeeks ?? null, view?.pooled ?? false)}
                        {date.atRisk !== null && ` ${t.estimate.basedOn(date.atRisk)}`}
                      </li>
                    );
                  })}
                </ul>
              ) : (
                <p>
                  <strong>{t.estimate.none}</strong>
                </p>
              )}
              {dates.length > 0 && view?.source && <p data-estimate-cohort>{view.source[language]}</p>}
              {reasonTexts.map((text) => (
                <p key={text}>{text}</p>
              ))}
              {view?.longWait && (
                <p data-estimate-long-wait>
                  {view.longWait.explanation[language]}
                  {view.longWait.inquiryUrl && (
                    <>
                      {' '}
                      <a class="usa-link" href={view.longWait.inquiryUrl}>
                        {t.estimate.inquiry}
                      </a>
                    </>
                  )}
                </p>
              )}
              {view?.staleness?.[language] && <p>{view.staleness[language]}</p>}
              <p>{view ? view.disclaimer[language] : t.estimate.honesty}</p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
