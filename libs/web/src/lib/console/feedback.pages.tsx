/** @jsxRuntime automatic @jsxImportSource preact */
import { findAgency } from '@case-status/case-domain';
import type { Account } from '@case-status/identity';
import type { ConsoleFeedbackCommentsQuery, FeedbackResultsQuery } from '../api/operations.generated';
import type { PageContext } from '../pages/page-context';
import { BarChart, DataTable } from './bar-chart';
import type { ConsoleTable } from './console-table';
import { ConsoleLayout, Pager, queryOf } from './console.pages';

type Results = NonNullable<FeedbackResultsQuery['feedbackResults']>;
type Comments = NonNullable<ConsoleFeedbackCommentsQuery['feedbackComments']>;

/** What the feedback page is narrowed to: a service (form type), and the quarter whose comments are read. */
export interface FeedbackFilter {
  service?: string;
  quarter: string;
}

const percent = (share: number | null | undefined) => (share == null ? '' : Math.round(share * 1000) / 10);

/** One row per service, quarter and question: what was answered, and the share who agreed. */
export function feedbackResultsTable(results: Results): ConsoleTable {
  return {
    caption: 'Survey results by service, quarter and question',
    columns: ['Service', 'Quarter', 'Responses', 'Question', 'Answered', 'Agree (%)'],
    rows: results.groups.flatMap((group) =>
      group.questions.map((question) => [group.service, group.quarter, group.responses, question.question, question.responses, question.published ? percent(question.agreeShare) : '']),
    ),
  };
}

export function feedbackCommentsTable(comments: Comments): ConsoleTable {
  return {
    caption: 'Comments, redacted, in no particular order',
    columns: ['Service', 'Quarter', 'Language', 'Comment'],
    rows: comments.comments.map((comment) => [comment.service, comment.quarter, comment.language, comment.text]),
  };
}

/** The survey's results and comments for the agency's staff: closed quarters as published, and the comments the API gives them. */
export function FeedbackPage(props: { context: PageContext; account: Account; filter: FeedbackFilter; results: Results; comments: Comments; after: string | undefined }) {
  const { context, account, filter, results, comments, after } = props;
  const agency = findAgency(account.agency ?? '');
  const quarters = [...new Set(results.groups.map((group) => group.quarter))].sort();
  const responses = quarters.map((quarter) => results.groups.filter((group) => group.quarter === quarter).reduce((sum, group) => sum + group.responses, 0));
  const query = queryOf({ service: filter.service, quarter: filter.quarter });
  return (
    <ConsoleLayout context={context} account={account} title="Feedback" current="feedback">
      <form class="usa-form usa-form--large margin-bottom-2" method="get" action="/en/console/feedback" data-filter>
        <div class="grid-row grid-gap">
          <div class="tablet:grid-col-6">
            <label class="usa-label" for="feedback-service">
              Service
            </label>
            <select class="usa-select" id="feedback-service" name="service">
              <option value="">Every service</option>
              {(agency?.formTypes ?? []).map((form) => (
                <option value={form.code} selected={form.code === filter.service} key={form.code}>
                  {form.code} — {form.name}
                </option>
              ))}
            </select>
          </div>
          <div class="tablet:grid-col-6">
            <label class="usa-label" for="feedback-quarter">
              Comments of the quarter
            </label>
            <select class="usa-select" id="feedback-quarter" name="quarter">
              {[...new Set([results.openQuarter, ...quarters])].sort().reverse().map((quarter) => (
                <option value={quarter} selected={quarter === filter.quarter} key={quarter}>
                  {quarter}
                  {quarter === results.openQuarter ? ' (open)' : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" class="usa-button margin-top-2">
          Show
        </button>
      </form>

      <section aria-labelledby="results-heading" class="margin-top-2">
        <h2 id="results-heading">Survey results</h2>
        <p>
          Closed fiscal quarters, as published. A question answered fewer than {results.minimumResponses} times in a quarter is not shown (“—”). The quarter still open ({results.openQuarter})
          is not published.
        </p>
        {results.groups.length === 0 ? (
          <p data-empty>No closed quarter has survey responses yet.</p>
        ) : (
          <>
            <BarChart
              id="feedback"
              title="Survey responses per quarter"
              description={`Bar chart of responses per fiscal quarter${filter.service ? ` for ${filter.service}` : ''}: ${quarters.map((quarter, i) => `${quarter}: ${responses[i]}`).join('; ')}. The table below has every question.`}
              categories={quarters}
              series={[{ name: 'Responses', values: responses }]}
            />
            <DataTable id="feedback-results" table={feedbackResultsTable(results)} csvHref={`/en/console/feedback-results.csv${query}`} cell={(value) => (value === '' ? '—' : typeof value === 'number' ? value.toLocaleString('en-US') : value)} />
          </>
        )}
      </section>

      <section aria-labelledby="comments-heading" class="margin-top-4">
        <h2 id="comments-heading">Comments of {filter.quarter}</h2>
        <p>Redacted when they were given, shown in no particular order, only for services with at least 10 responses in the quarter. Comments are never published.</p>
        {comments.comments.length === 0 ? (
          <p data-empty>No comment to show for {filter.quarter}.</p>
        ) : (
          <DataTable id="feedback-comments" table={feedbackCommentsTable(comments)} csvHref={`/en/console/feedback-comments.csv${queryOf({ service: filter.service, quarter: filter.quarter, after })}`} />
        )}
        <Pager
          label="Pages of comments"
          firstHref={after !== undefined ? `/en/console/feedback${query}` : undefined}
          nextHref={comments.endCursor ? `/en/console/feedback${queryOf({ service: filter.service, quarter: filter.quarter, after: comments.endCursor })}` : undefined}
        />
      </section>
    </ConsoleLayout>
  );
}
