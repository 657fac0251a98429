/** @jsxRuntime automatic @jsxImportSource preact */
import { FormTypeChooser } from '../pages/components';
import { Layout } from '../pages/layout';
import { href, type PageContext } from '../pages/page-context';
import type { FeedbackQuestion, FeedbackResultsQuery, FeedbackSurveyQuery } from '../api/operations.generated';
import { FEEDBACK_MESSAGES } from './feedback-messages';

export interface ResultsSelection {
  agency: string;
  service?: string;
  results: NonNullable<FeedbackResultsQuery['feedbackResults']>;
  /** The questions' driver names in the page's language, for the column headings. */
  survey: FeedbackSurveyQuery['feedbackSurvey'];
}

/** Value of the select: `AGENCY:` for all of an agency's services, `AGENCY:FORM` for one. */
const selectionValue = (agency: string, service?: string) => `${agency}:${service ?? ''}`;

/**
 * Published survey results: per service, one table with a row per closed quarter, showing
 * the share agreeing with each statement and how many answered it, or only how many when
 * too few did. A link downloads the same results as CSV.
 */
export function ResultsPage({ context, selected, problem }: { context: PageContext; selected: ResultsSelection | null; problem?: string }) {
  const m = FEEDBACK_MESSAGES[context.language].results;
  const chosen = selected ? selectionValue(selected.agency, selected.service) : '';
  return (
    <Layout context={context} title={m.title} section="feedback-results">
      <div class="usa-prose margin-top-4">
        <h1>{m.title}</h1>
        <p class="usa-intro">{m.intro}</p>
      </div>
      <FormTypeChooser
        action={href(context, '/feedback/results')}
        name="selection"
        label={m.formLabel}
        submit={m.submit}
        problem={problem}
        chosen={chosen}
        valueOf={selectionValue}
        agencyOption={(agency) => ({ value: selectionValue(agency), label: m.allServices(agency) })}
      />
      {selected ? <Results context={context} selected={selected} /> : !problem && <p class="margin-top-4">{m.chooseService}</p>}
    </Layout>
  );
}

function Results({ context, selected }: { context: PageContext; selected: ResultsSelection }) {
  const m = FEEDBACK_MESSAGES[context.language].results;
  const { results, survey } = selected;
  const services = [...new Set(results.groups.map((group) => group.service))];
  const csvQuery = new URLSearchParams({ agency: selected.agency, ...(selected.service && { service: selected.service }) });
  const scope = selected.service ? `${selected.agency} ${selected.service}` : selected.agency;
  return (
    <section class="margin-top-4" data-feedback-results>
      <div class="usa-prose">
        <p>{m.agreeExplained}</p>
        <p>{m.suppression(results.minimumResponses)}</p>
      </div>
      {services.length === 0 && <p class="margin-top-3">{m.none}</p>}
      {services.map((service) => {
        const groups = results.groups.filter((group) => group.service === service).reverse(); // newest quarter first
        return (
          <div class="margin-top-4" key={service}>
            <h2>{`${service}: ${groups[0].serviceName}`}</h2>
            <div class="usa-table-container--scrollable" tabIndex={0}>
              <table class="usa-table usa-table--borderless usa-table--stacked" data-service={service}>
                <caption>{m.caption(service, groups[0].serviceName)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.quarter}</th>
                    <th scope="col">{m.responses}</th>
                    {survey.questions.map((question) => (
                      <th scope="col" key={question.id}>
                        {question.driver}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {groups.map((group) => (
                    <tr key={group.quarter} data-quarter={group.quarter}>
                      <th scope="row" data-label={m.quarter}>
                        {quarterName(context, group.quarter, group.quarterStart, group.quarterEnd)}
                      </th>
                      <td data-label={m.responses}>{group.responses}</td>
                      {survey.questions.map((question) => (
                        <td data-label={question.driver} key={question.id} data-question={question.id}>
                          {cell(context, group.questions.find((result) => result.question === question.id))}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        );
      })}
      <p class="margin-top-4">
        <a class="usa-link" href={href(context, `/feedback/results.csv?${csvQuery}`)} download>
          {m.csv(scope)}
        </a>
        <br />
        <span class="usa-hint">{m.csvHint}</span>
      </p>
    </section>
  );
}

function cell(context: PageContext, result: { question: FeedbackQuestion; responses: number; published: boolean; agreeShare: number | null } | undefined): string {
  const m = FEEDBACK_MESSAGES[context.language].results;
  if (!result || !result.published || result.agreeShare === null) return m.tooFew(result?.responses ?? 0);
  const percent = new Intl.NumberFormat(context.language, { style: 'percent', maximumFractionDigits: 0 }).format(result.agreeShare);
  return m.agree(percent, result.responses);
}

/** "October–December 2026 (fiscal year 2027, quarter 1)". */
function quarterName(context: PageContext, quarter: string, start: string, end: string): string {
  const month = new Intl.DateTimeFormat(context.language, { month: 'long', timeZone: 'UTC' });
  const year = new Intl.DateTimeFormat(context.language, { year: 'numeric', timeZone: 'UTC' });
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T00:00:00Z`);
  const months = context.language === 'es' ? `${month.format(from)}–${month.format(to)} de ${year.format(to)}` : `${month.format(from)}–${month.format(to)} ${year.format(to)}`;
  const [, fiscalYear, number] = /^FY(\d{4})-Q(\d)$/.exec(quarter) ?? [quarter, quarter, ''];
  return FEEDBACK_MESSAGES[context.language].results.quarterName(months, fiscalYear, number);
}
