/** @jsxRuntime automatic @jsxImportSource preact */
import { findAgency } from '@case-status/case-domain';
import type { Account } from '@case-status/identity';
import type { ConsoleEstimateAccuracyQuery, ConsoleProcessingTimesQuery } from '../api/operations.generated';
import type { PageContext } from '../pages/page-context';
import { BarChart, DataTable } from './bar-chart';
import type { ConsoleTable } from './console-table';
import { ConsoleLayout, queryOf, SelectForm } from './console.pages';

type OfficeTimes = NonNullable<ConsoleProcessingTimesQuery['cohortProcessingTimes']>;
type AccuracyMonths = NonNullable<ConsoleEstimateAccuracyQuery['servedEstimateAccuracy']>;

/** A figure the API withholds (too few cases) is an empty cell: "—" on the page, empty in the CSV. */
const WITHHELD = '';
const percent = (share: number | null) => (share === null ? WITHHELD : Math.round(share * 1000) / 10);
const figure = (value: number | null) => (value === null ? WITHHELD : value);
const range = (quantile: { lower: number | null; upper: number | null }) => (quantile.lower === null || quantile.upper === null ? WITHHELD : `${quantile.lower}–${quantile.upper}`);
const dayAfter = (today: string, days: number | null) => (days === null ? WITHHELD : new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10));

/**
 * Each office's figures for one form: what an agency would publish (percentiles of the cases
 * decided in the last 6 months), the survival curve of every case (the waiting ones included)
 * with the dates it gives a case received today, and the pace of decisions.
 */
export function processingTimesTable(offices: OfficeTimes, today: string): ConsoleTable {
  return {
    caption: 'Processing times by office: published-style figures, the survival curve and the decision pace',
    columns: [
      'Office',
      'Decided in window',
      'Pending',
      'Published median (days)',
      'Published 80 % (days)',
      'Published 93 % (days)',
      'Curve median (days)',
      'Curve median, 95 % interval',
      'Curve 80 % (days)',
      'Curve 80 %, 95 % interval',
      'Received today: likely by',
      'Received today: 8 in 10 by',
      'Decided per week, last 4 weeks',
      'Decided per week, last 26 weeks',
      'Pace against 26 weeks',
    ],
    rows: offices.map((row) => [
      row.office,
      row.completedCount,
      row.pendingCount,
      figure(row.medianDays),
      figure(row.p80Days),
      figure(row.p93Days),
      figure(row.curve.median.days),
      range(row.curve.median),
      figure(row.curve.p80.days),
      range(row.curve.p80),
      dayAfter(today, row.curve.median.days),
      dayAfter(today, row.curve.p80.days),
      row.decisionPace.recent.perWeek,
      row.decisionPace.baseline.perWeek,
      row.decisionPace.ratio === null ? WITHHELD : Math.round(row.decisionPace.ratio * 100) / 100,
    ]),
  };
}

/** One kind of date's figures: dates come, came true, the share in percent, the median miss. */
const dateCells = (dates: AccuracyMonths[number]['estimates']) => [dates.scored, dates.cameTrue, percent(dates.cameTrueShare), figure(dates.medianErrorDays)];

/** How often the served dates came true, per month they were served in, newest first; shares in percent. */
export function accuracyTable(months: AccuracyMonths): ConsoleTable {
  return {
    caption: 'How often the served dates came true, by the month they were served in',
    columns: [
      'Month served',
      'Served',
      'Given no date',
      'Given no date (%)',
      '80 % dates come',
      'Came true',
      'Came true (%)',
      'Median miss of likely dates (days)',
      'Published-style: 80 % dates come',
      'Published-style: came true',
      'Published-style: came true (%)',
      'Published-style: median miss (days)',
      'Decisions known through',
    ],
    rows: months.map((m) => [m.month, m.served, m.withheld, percent(m.withheldShare), ...dateCells(m.estimates), ...dateCells(m.publishedStyle), m.scoredThrough]),
  };
}

const shown = (value: string | number) => (value === WITHHELD ? '—' : typeof value === 'number' ? value.toLocaleString('en-US') : value);

export function EstimatesPage({ context, account, formType, today, offices, accuracy }: { context: PageContext; account: Account; formType: string; today: string; offices: OfficeTimes; accuracy: AccuracyMonths }) {
  const agency = findAgency(account.agency ?? '');
  const query = queryOf({ formType });
  const charted = offices.filter((row) => row.p80Days !== null || row.curve.p80.days !== null);
  // Oldest first on the chart; only months whose two shares rest on enough dates.
  const scoredMonths = [...accuracy].reverse().filter((m) => m.estimates.cameTrueShare !== null && m.publishedStyle.cameTrueShare !== null);
  return (
    <ConsoleLayout context={context} account={account} title="Processing times and estimates" current="estimates">
      <SelectForm
        action="/en/console/estimates"
        id="estimates-form"
        name="formType"
        label="Form"
        options={(agency?.formTypes ?? []).map((form) => ({ value: form.code, label: `${form.code} — ${form.name}` }))}
        chosen={formType}
      />
      <p class="usa-intro">
        For {formType}: what an agency would publish (how long the cases decided in the last 6 months took, leaving out the ones still waiting) beside the survival curve of every
        case, waiting ones included, which the estimates come from; and how often the dates the platform served came true.
      </p>

      <section aria-labelledby="times-heading" class="margin-top-4">
        <h2 id="times-heading">Processing times by office</h2>
        {charted.length > 0 && (
          <BarChart
            id="times"
            title={`${formType}: days within which 8 in 10 cases are decided, by office`}
            description={`Grouped bars per office: the published-style 80th percentile of decided cases (solid) and the survival curve's 80 % of all cases (hatched). ${charted
              .map((row) => `${row.office}: published ${row.p80Days ?? 'none'}, curve ${row.curve.p80.days ?? 'not reached'}`)
              .join('; ')}. The table below has every figure.`}
            categories={charted.map((row) => row.office)}
            series={[
              { name: 'Published-style 80 %', values: charted.map((row) => row.p80Days ?? 0) },
              { name: 'Survival curve 80 %', values: charted.map((row) => row.curve.p80.days ?? 0) },
            ]}
          />
        )}
        <DataTable id="processing-times" table={processingTimesTable(offices, today)} csvHref={`/en/console/processing-times.csv${query}`} cell={shown} />
        <p class="text-base">A dash: too few cases for the figure, or the curve has not fallen that far yet. The pace compares the last 4 weeks with the last 26 (1 is the usual pace).</p>
      </section>

      <section aria-labelledby="accuracy-heading" class="margin-top-4">
        <h2 id="accuracy-heading">How often the served dates came true</h2>
        <p>
          Each day the platform records the estimate it serves for a sample of each office’s waiting cases, and the published-style dates for the same cases; once the dates come,
          it counts how many came true. Honest 80 % dates come true about 8 times in 10. Shares resting on fewer than 20 cases are not shown.
        </p>
        {scoredMonths.length > 0 && (
          <BarChart
            id="accuracy"
            title={`${formType}: share of 80 % dates that came true, by month served`}
            description={`Grouped bars per month, in percent: the platform's served 80 % dates (solid) and the published-style dates for the same cases (hatched). ${scoredMonths
              .map((m) => `${m.month}: served ${percent(m.estimates.cameTrueShare)} %, published-style ${percent(m.publishedStyle.cameTrueShare)} %`)
              .join('; ')}.`}
            categories={scoredMonths.map((m) => m.month)}
            series={[
              { name: 'Served dates', values: scoredMonths.map((m) => Number(percent(m.estimates.cameTrueShare))) },
              { name: 'Published-style dates', values: scoredMonths.map((m) => Number(percent(m.publishedStyle.cameTrueShare))) },
            ]}
          />
        )}
        {accuracy.length === 0 ? (
          <p data-empty>No estimate of {formType} has been recorded yet.</p>
        ) : (
          <DataTable id="estimate-accuracy" table={accuracyTable(accuracy)} csvHref={`/en/console/estimate-accuracy.csv${query}`} cell={shown} />
        )}
      </section>
    </ConsoleLayout>
  );
}
