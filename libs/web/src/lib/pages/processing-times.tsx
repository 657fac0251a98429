/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import { formatCalendarDate } from '../i18n/format';
import type { ProcessingTimesQuery } from '../api/operations.generated';
import { FormTypeChooser } from './components';
import { Layout } from './layout';
import type { PageContext } from './page-context';

/** One office's figures (`case.graphql`). */
export type ProcessingTimesView = NonNullable<ProcessingTimesQuery['processingTimes']>;

export interface ProcessingTimesSelection {
  agency: string;
  formType: string;
  rows: ProcessingTimesView[];
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
