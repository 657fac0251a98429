/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import { formatDay, formatInstant } from '../i18n/format';
import type { CaseView } from '../api/case-lookup';
import { Estimate } from './estimate';
import { Layout } from './layout';
import { href, type PageContext } from './page-context';
import { StepIndicator } from './step-indicator';
import { SurveyInvitation } from './survey-slot';

export interface CasePageProps {
  context: PageContext;
  view: CaseView;
  /** graphql-ws endpoint the browser listens on for changes of this case. */
  liveUrl: string;
  /** The feedback survey for this case once it is decided; null for none. */
  surveyHref: string | null;
}

function officeName(agency: string, code: string): string {
  return AGENCIES[agency]?.offices.find((office) => office.code === code)?.name ?? code;
}

function agencyName(agency: string): string {
  return AGENCIES[agency]?.name ?? agency;
}

/**
 * Everything about the case that changes with its status. The page renders it once; the
 * browser asks for it again (`/case/:receipt/details`) when the status API says the case
 * changed, and swaps it in.
 */
export function CaseDetails({ context, view, surveyHref }: Omit<CasePageProps, 'liveUrl'>) {
  const { t, language, timeZone } = context;
  const statusText = view.statusText[language];
  return (
    <div id="case-details" data-revision={view.revision} data-announcement={t.casePage.statusChanged(statusText)}>
      <StepIndicator context={context} step={view.step} />
      <section class="usa-summary-box" aria-labelledby="current-status">
        <div class="usa-summary-box__body">
          <h2 class="usa-summary-box__heading" id="current-status">
            {t.casePage.currentStatus}
          </h2>
          <div class="usa-summary-box__text">
            <p class="font-sans-lg" data-status-text>
              {statusText}
            </p>
            <h3>{t.casePage.nextStep}</h3>
            <p data-next-step>{view.nextStep[language]}</p>
          </div>
        </div>
      </section>

      <Estimate context={context} estimate={view.estimate} decided={view.decision !== null} />

      {view.decision !== null && <SurveyInvitation context={context} surveyHref={surveyHref} />}

      <section class="margin-top-4" aria-labelledby="history-heading">
        <h2 id="history-heading">{t.casePage.historyHeading}</h2>
        {view.history.length === 0 ? (
          <p>{t.casePage.historyEmpty}</p>
        ) : (
          <ol class="usa-process-list" data-history>
            {view.history.map((entry) => (
              <li class="usa-process-list__item" key={entry.eventId}>
                <h3 class="usa-process-list__heading">{entry.title[language]}</h3>
                <p class="margin-top-05">
                  <time dateTime={entry.occurredAt}>{formatDay(language, entry.occurredAt, timeZone)}</time>
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      <p class="margin-top-4 text-base" data-last-changed>
        {t.casePage.lastChanged(formatInstant(language, view.lastChangedAt, timeZone))} {t.casePage.pageChecked(formatInstant(language, context.now, timeZone))}
      </p>
    </div>
  );
}

export function CasePage({ context, view, liveUrl, surveyHref }: CasePageProps) {
  const { t } = context;
  const receipt = view.receiptNumber;
  const caseHref = href(context, `/case/${encodeURIComponent(receipt)}`);
  const office = officeName(view.agency, view.office);
  return (
    <Layout context={context} title={t.casePage.title(receipt)} section="case" scripts={[context.assets.caseLiveJs]}>
      {/* One size smaller on phones: a 13-character receipt number at the usual size is wider than a 320 px screen. */}
      <h1 class="margin-top-4 margin-bottom-1 font-heading-xl tablet:font-heading-2xl">{t.casePage.title(receipt)}</h1>
      <p class="margin-top-0">{t.casePage.summary(view.formType, agencyName(view.agency), office)}</p>
      <div id="case-live" data-ws={liveUrl} data-receipt={receipt} data-fragment={`${caseHref}/details`}>
        <p class="usa-hint" data-live-note hidden>
          {t.casePage.liveNote}
        </p>
        <div id="case-live-announcer" aria-live="polite" aria-atomic="true" />
        <CaseDetails context={context} view={view} surveyHref={surveyHref} />
      </div>
      <ul class="usa-list usa-list--unstyled margin-top-4">
        <li class="margin-bottom-2">
          <a class="usa-button usa-button--outline" href={`${caseHref}/updates`}>
            {t.casePage.getUpdates}
          </a>
        </li>
        <li>
          <a class="usa-link" href={href(context, `/processing-times?form=${encodeURIComponent(`${view.agency}:${view.formType}`)}#office-${view.office}`)}>
            {t.casePage.processingTimesLink(view.formType, office)}
          </a>
        </li>
      </ul>
    </Layout>
  );
}
