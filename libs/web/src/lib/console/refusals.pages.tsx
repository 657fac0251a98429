/** @jsxRuntime automatic @jsxImportSource preact */
import type { Account } from '@case-status/identity';
import type { ConsoleIntakeRefusalsQuery } from '../api/operations.generated';
import { formatInstant } from '../i18n/format';
import { Alert } from '../pages/components';
import type { PageContext } from '../pages/page-context';
import { BarChart, DataTable } from './bar-chart';
import type { ConsoleTable } from './console-table';
import { ConsoleLayout, queryOf, SelectForm } from './console.pages';

type Refusals = NonNullable<ConsoleIntakeRefusalsQuery['intakeRefusals']>;

/** The windows offered, in days; the API takes 1 to 90. */
export const REFUSAL_WINDOWS = [1, 7, 30, 90] as const;

const reasonOf = (reason: Refusals['reasons'][number]) => (reason.field ? `${reason.code} at ${reason.field}` : reason.code);

export function refusalsTable(refusals: Refusals): ConsoleTable {
  return {
    caption: 'Refused submissions by reason, most frequent first',
    columns: ['Reason', 'Refused', 'Last refused', 'Example', 'Receipt numbers (latest)'],
    rows: refusals.reasons.map((reason) => [reasonOf(reason), reason.count, reason.lastRefusedAt, reason.example, reason.receiptNumbers.join(' ')]),
  };
}

/** What the agency's systems sent that intake refused, by reason: a broken feed shows the same day. */
export function RefusalsPage({ context, account, days, refusals }: { context: PageContext; account: Account; days: number; refusals: Refusals }) {
  const top = refusals.reasons.slice(0, 10);
  return (
    <ConsoleLayout context={context} account={account} title="Intake refusals" current="refusals">
      <SelectForm
        action="/en/console/refusals"
        id="refusals-days"
        name="days"
        label="Refused in the last"
        options={REFUSAL_WINDOWS.map((window) => ({ value: String(window), label: window === 1 ? '24 hours' : `${window} days` }))}
        chosen={String(days)}
      />
      <p class="usa-intro" data-summary>
        {refusals.total.toLocaleString('en-US')} submissions from the agency’s systems were refused since {formatInstant('en', refusals.since, context.timeZone)}, for{' '}
        {refusals.reasons.length} reasons.
      </p>
      {refusals.truncated && (
        <Alert type="warning" role="status">
          More submissions were refused than the console reads at once: the counts are of the latest 5,000.
        </Alert>
      )}
      {refusals.reasons.length === 0 ? (
        <p data-empty>Nothing was refused.</p>
      ) : (
        <>
          <BarChart
            id="refusals"
            title="Refused submissions by reason"
            description={`Bar chart of the ${top.length} most frequent reasons: ${top.map((reason) => `${reasonOf(reason)}: ${reason.count}`).join('; ')}. The table below has every reason.`}
            categories={top.map((reason) => reason.field?.split('/').pop() ?? reason.code)}
            series={[{ name: 'Refused submissions', values: top.map((reason) => reason.count) }]}
          />
          <DataTable
            id="refusals"
            table={refusalsTable(refusals)}
            csvHref={`/en/console/refusals.csv${queryOf({ days })}`}
            cell={(value, column) =>
              column === 2
                ? formatInstant('en', String(value), context.timeZone)
                : column === 4
                  ? String(value)
                      .split(' ')
                      .filter(Boolean)
                      .map((receiptNumber) => (
                        <a class="margin-right-1" href={`/en/console/case${queryOf({ receiptNumber })}`} key={receiptNumber}>
                          {receiptNumber}
                        </a>
                      ))
                  : typeof value === 'number'
                    ? value.toLocaleString('en-US')
                    : value
            }
          />
        </>
      )}
    </ConsoleLayout>
  );
}
