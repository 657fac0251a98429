/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import { formatCalendarDate } from '../i18n/format';
import type { EstimateAccuracyQuery, ProcessingTimesQuery } from '../api/operations.generated';
import { FormTypeChooser } from './components';
import { Layout } from './layout';
import { href, type PageContext } from './page-context';

/** One office's figures (`case.graphql`). */
export type ProcessingTimesView = NonNullable<ProcessingTimesQuery['processingTimes']>;

/** One month of the form's served estimates, scored (`case.graphql`). */
type AccuracyMonth = EstimateAccuracyQuery['estimateAccuracy'][number];

export interface ProcessingTimesSelection {
  agency: string;
  formType: string;
  rows: ProcessingTimesView[];
  /** How often the dates served for the form came true, newest month first. */
  accuracy: AccuracyMonth[];
}

/** Value of the form select: `AGENCY:FORM`, one list for every agency. */
const formOptionValue = (agency: string, formType: string) => `${agency}:${formType}`;

export function ProcessingTimesPage({ context, selected, problem }: { context: PageContext; selected: ProcessingTimesSelection | null; problem?: string }) {
  const { t, language } = context;
  const chosen = selected ? formOptionValue(selected.agency, selected.formType) : '';
  return (
    <Layout context={context} title={t.processingTimes.title} section="processing-times">
      <div class="usa-prose margin-top-4">
        <h1>{t.processingTimes.title}</h1>
        <p class="usa-intro">{t.processingTimes.intro}</p>
      </div>
      <FormTypeChooser
        action={`/${language}/processing-times`}
        name="form"
        label={t.processingTimes.formLabel}
        hint={t.processingTimes.formHint}
        submit={t.processingTimes.submit}
        problem={problem}
        chosen={chosen}
        valueOf={formOptionValue}
      />
      {selected ? <Figures context={context} selected={selected} /> : !problem && <p class="margin-top-4">{t.processingTimes.chooseForm}</p>}
      {selected && <Accuracy context={context} selected={selected} />}
      <section class="usa-prose margin-top-5" aria-labelledby="explain-heading">
        <h2 id="explain-heading">{t.processingTimes.explainHeading}</h2>
        <p>{t.processingTimes.explainMedian}</p>
        <p>{t.processingTimes.explainPercentiles}</p>
        <p>{t.processingTimes.explainPending}</p>
        <p>{t.processingTimes.explainFew}</p>
      </section>
    </Layout>
  );
}

function Figures({ context, selected }: { context: PageContext; selected: ProcessingTimesSelection }) {
  const { t, language } = context;
  const agency = AGENCIES[selected.agency];
  const formName = agency?.formTypes.find((form) => form.code === selected.formType)?.name ?? selected.formType;
  const officeName = (code: string) => agency?.offices.find((office) => office.code === code)?.name ?? code;
  // A dash reads better than the same sentence three times a row; screen readers get the sentence.
  const days = (value: number | null) =>
    value === null ? (
      <>
        <span aria-hidden="true">—</span>
        <span class="usa-sr-only">{t.processingTimes.noDecisions}</span>
      </>
    ) : (
      t.processingTimes.days(Math.round(value))
    );
  const window = selected.rows[0];
  // Offices without a single case of the form would fill a phone screen with dashes: one sentence names them.
  const rows = selected.rows.filter((row) => row.completedCount > 0 || row.pendingCount > 0);
  const empty = selected.rows.filter((row) => row.completedCount === 0 && row.pendingCount === 0);
  return (
    <section class="margin-top-4" aria-labelledby="figures-caption">
      {window && <p>{t.processingTimes.window(formatCalendarDate(language, window.windowStart), formatCalendarDate(language, window.windowEnd))}</p>}
      <div class="usa-table-container--scrollable" tabIndex={0}>
        <table class="usa-table usa-table--borderless usa-table--stacked" data-processing-times>
          <caption id="figures-caption">{t.processingTimes.caption(selected.formType, formName, agency?.name ?? selected.agency)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.processingTimes.office}</th>
              <th scope="col">{t.processingTimes.median}</th>
              <th scope="col">{t.processingTimes.p80}</th>
              <th scope="col">{t.processingTimes.p93}</th>
              <th scope="col">{t.processingTimes.decided}</th>
              <th scope="col">{t.processingTimes.pending}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.office} id={`office-${row.office}`}>
                <th scope="row" data-label={t.processingTimes.office}>
                  {officeName(row.office)}
                </th>
                <td data-label={t.processingTimes.median}>{days(row.medianDays)}</td>
                <td data-label={t.processingTimes.p80}>{days(row.p80Days)}</td>
                <td data-label={t.processingTimes.p93}>{days(row.p93Days)}</td>
                <td data-label={t.processingTimes.decided}>{row.completedCount}</td>
                <td data-label={t.processingTimes.pending}>{row.pendingCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.some((row) => row.medianDays === null) && <p class="usa-hint">{t.processingTimes.dashMeans}</p>}
      {empty.length > 0 && <p data-no-cases>{t.processingTimes.noCases(empty.map((row) => officeName(row.office)).join(', '))}</p>}
    </section>
  );
}

/** How often the served dates came true, beside the published-style dates for the same cases; small cells show their counts only. */
function Accuracy({ context, selected }: { context: PageContext; selected: ProcessingTimesSelection }) {
  const { t, language } = context;
  const a = t.processingTimes.accuracy;
  const tooFew = (
    <>
      <span aria-hidden="true">—</span>
      <span class="usa-sr-only">{a.tooFew}</span>
    </>
  );
  const share = (value: number | null, of: number) => (value === null ? tooFew : a.shareOf(Math.round(value * 100), of));
  const days = (value: number | null) => (value === null ? tooFew : t.processingTimes.days(Math.round(value)));
  const csv = href(context, `/processing-times/accuracy.csv?form=${encodeURIComponent(`${selected.agency}:${selected.formType}`)}`);
  return (
    <section class="margin-top-5" aria-labelledby="accuracy-heading" data-estimate-accuracy>
      <h2 id="accuracy-heading">{a.heading}</h2>
      <div class="usa-prose">
        <p>{a.intro}</p>
      </div>
      {selected.accuracy.length === 0 ? (
        <p data-no-accuracy>{a.none}</p>
      ) : (
        <>
          <div class="usa-table-container--scrollable" tabIndex={0}>
            <table class="usa-table usa-table--borderless usa-table--stacked">
              <caption>{a.caption(selected.formType)}</caption>
              <thead>
                <tr>
                  <th scope="col">{a.month}</th>
                  <th scope="col">{a.served}</th>
                  <th scope="col">{a.noDate}</th>
                  <th scope="col">{a.cameTrue}</th>
                  <th scope="col">{a.medianError}</th>
                  <th scope="col">{a.publishedCameTrue}</th>
                  <th scope="col">{a.publishedMedianError}</th>
                </tr>
              </thead>
              <tbody>
                {selected.accuracy.map((m) => (
                  <tr key={m.month} id={`accuracy-${m.month}`}>
                    <th scope="row" data-label={a.month}>
                      {formatMonth(language, m.month)}
                    </th>
                    <td data-label={a.served}>{m.served}</td>
                    <td data-label={a.noDate}>{share(m.withheldShare, m.served)}</td>
                    <td data-label={a.cameTrue}>{share(m.estimates.cameTrueShare, m.estimates.scored)}</td>
                    <td data-label={a.medianError}>{days(m.estimates.medianErrorDays)}</td>
                    <td data-label={a.publishedCameTrue}>{share(m.publishedStyle.cameTrueShare, m.publishedStyle.scored)}</td>
                    <td data-label={a.publishedMedianError}>{days(m.publishedStyle.medianErrorDays)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="usa-hint">{a.scoredThrough(formatCalendarDate(language, selected.accuracy[0].scoredThrough))}</p>
          <p>
            <a class="usa-link" href={csv} download>
              {a.download}
            </a>
          </p>
        </>
      )}
      <div class="usa-prose">
        <h3>{a.explainHeading}</h3>
        <p>{a.explainCameTrue}</p>
        <p>{a.explainPublished}</p>
        <p>{a.explainError}</p>
        <p>{a.explainFew}</p>
      </div>
    </section>
  );
}

/** `2027-02` as "February 2027" / "febrero de 2027". */
function formatMonth(language: 'en' | 'es', month: string): string {
  return new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}
