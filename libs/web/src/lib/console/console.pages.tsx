/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { findAgency, PUBLIC_STATUS_CODES } from '@case-status/case-domain';
import type { Account } from '@case-status/identity';
import type { ConsoleBacklogQuery, ConsoleCasesQuery, ConsoleStaleCasesQuery } from '../api/operations.generated';
import { formatDay } from '../i18n/format';
import { Alert } from '../pages/components';
import { Layout } from '../pages/layout';
import type { PageContext } from '../pages/page-context';
import { BarChart, DataTable } from './bar-chart';
import type { ConsoleTable } from './console-table';

type BacklogRows = NonNullable<ConsoleBacklogQuery['backlog']>;
type FlowWeeks = NonNullable<ConsoleBacklogQuery['weeklyCaseFlow']>;
type CasesPage = NonNullable<ConsoleCasesQuery['cases']>;
type StaleRows = NonNullable<ConsoleStaleCasesQuery['staleCases']>;

/** What the console's lists are narrowed to; every part optional. */
export interface ConsoleFilter {
  formType?: string;
  office?: string;
}

/** The case list's filter: a cohort, pending only, received between two dates, a status. */
export interface CaseListFilter extends ConsoleFilter {
  pending?: boolean;
  statusCode?: string;
  receivedFrom?: string;
  receivedTo?: string;
}

/** The aging buckets of the backlog, with the receipt dates each stands for as of `today`. */
const AGING_BUCKETS = [
  { key: 'upTo30', label: '0–30 days', from: 30, to: 0 },
  { key: 'upTo90', label: '31–90 days', from: 90, to: 31 },
  { key: 'upTo180', label: '91–180 days', from: 180, to: 91 },
  { key: 'upTo365', label: '181–365 days', from: 365, to: 181 },
  { key: 'over365', label: 'Over 365 days', from: null, to: 366 },
] as const;

/** A query string of the non-empty parts, with a leading `?` (or nothing). */
export function queryOf(parts: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parts)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Where a case's full record is: a link from the case list and the stale cases. */
function caseRecordHref(receiptNumber: string): string {
  return `/en/console/case${queryOf({ receiptNumber })}`;
}

const daysBefore = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** The case list of one cohort's pending cases in one aging bucket (or all of them). */
function drillHref(today: string, row: { formType: string; office: string }, bucket?: (typeof AGING_BUCKETS)[number]): string {
  return `/en/console/cases${queryOf({
    formType: row.formType,
    office: row.office,
    pending: true,
    receivedFrom: bucket?.from === null || bucket === undefined ? undefined : daysBefore(today, bucket.from),
    receivedTo: bucket === undefined || bucket.to === 0 ? undefined : daysBefore(today, bucket.to),
  })}`;
}

export function backlogTable(rows: BacklogRows): ConsoleTable {
  return {
    caption: 'Pending cases by form and office, by days since receipt',
    columns: ['Form', 'Office', 'Pending', ...AGING_BUCKETS.map((bucket) => bucket.label), 'Oldest received'],
    rows: rows.map((row) => [row.formType, row.office, row.pendingCount, ...AGING_BUCKETS.map((bucket) => row.aging[bucket.key]), row.oldestReceivedAt ?? '']),
  };
}

export function flowTable(weeks: FlowWeeks): ConsoleTable {
  return {
    caption: 'Cases received and decided per week',
    columns: ['Week', 'Week of', 'Received', 'Decided', 'Backlog change'],
    rows: weeks.map((week) => [week.week, week.weekStart, week.received, week.decided, week.received - week.decided]),
  };
}

export function casesTable(page: CasesPage): ConsoleTable {
  return {
    caption: 'Cases, oldest receipt first',
    columns: ['Receipt number', 'Form', 'Office', 'Status', 'Received', 'Last changed'],
    rows: page.edges.map(({ node }) => [node.receiptNumber, node.formType, node.office, node.statusCode, node.receivedAt, node.lastChangedAt]),
  };
}

export function staleTable(rows: StaleRows): ConsoleTable {
  return {
    caption: 'Stale cases, most unusual first',
    columns: ['Receipt number', 'Form', 'Office', 'Status', 'At this status since', 'Days at status', 'Usual days (median)', 'Usual days (9 in 10)', 'Times the usual', 'Stays seen'],
    rows: rows.map((row) => [row.receiptNumber, row.formType, row.office, row.statusCode, row.stepSince, row.daysAtStep, row.usualMedianDays, row.usualP90Days, row.timesUsual, row.sampleSize]),
  };
}

/** The console's frame: who is signed in for which agency, and its own navigation. */
export function ConsoleLayout({ context, account, title, current, children }: { context: PageContext; account: Account; title: string; current: 'backlog' | 'cases' | 'stale' | 'estimates' | 'deliveries' | 'refusals' | 'feedback'; children: ComponentChildren }) {
  const agency = findAgency(account.agency ?? '');
  const link = (page: typeof current, path: string, label: string) => (
    <li class="usa-sidenav__item">
      <a href={path} class={page === current ? 'usa-current' : undefined} aria-current={page === current ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <Layout context={context} title={`${title} — Caseworker console`} section="console" englishOnly>
      <div class="grid-row grid-gap margin-top-4">
        <div class="desktop:grid-col-3">
          <nav aria-label="Caseworker console">
            <ul class="usa-sidenav">
              {link('backlog', '/en/console', 'Backlog')}
              {link('cases', '/en/console/cases?pending=true', 'Case list')}
              {link('stale', '/en/console/stale', 'Stale cases')}
              {link('estimates', '/en/console/estimates', 'Processing times')}
              {link('deliveries', '/en/console/deliveries', 'Deliveries')}
              {link('refusals', '/en/console/refusals', 'Intake refusals')}
              {link('feedback', '/en/console/feedback', 'Feedback')}
            </ul>
          </nav>
        </div>
        <div class="desktop:grid-col-9">
          <p class="text-base margin-top-0" data-console-agency={account.agency}>
            Caseworker console · {agency?.name ?? account.agency} · {account.name ?? account.email}
          </p>
          <h1 class="margin-top-1">{title}</h1>
          {children}
        </div>
      </div>
    </Layout>
  );
}

/** One of the filter's selects: its codes with their names, or any. */
function Choice({ id, name, label, any, options, chosen }: { id: string; name: string; label: string; any: string; options: readonly { code: string; name: string }[]; chosen: string | undefined }) {
  return (
    <div class="tablet:grid-col-6">
      <label class="usa-label" for={id}>
        {label}
      </label>
      <select class="usa-select" id={id} name={name}>
        <option value="">{any}</option>
        {options.map((option) => (
          <option value={option.code} selected={option.code === chosen} key={option.code}>
            {option.code} — {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Keyset paging: back to the first page (when not on it) and on to the next (when there is one). */
export function Pager({ label, firstHref, nextHref }: { label: string; firstHref: string | undefined; nextHref: string | undefined }) {
  return (
    <nav aria-label={label} class="margin-top-2">
      <ul class="usa-button-group">
        {firstHref && (
          <li class="usa-button-group__item">
            <a class="usa-button usa-button--outline" href={firstHref}>
              First page
            </a>
          </li>
        )}
        {nextHref && (
          <li class="usa-button-group__item">
            <a class="usa-button" href={nextHref} rel="next" data-next-page>
              Next page
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** A GET form of one select and its button: every choice is a link. */
export function SelectForm({ action, id, name, label, options, chosen }: { action: string; id: string; name: string; label: string; options: readonly { value: string; label: string }[]; chosen: string }) {
  return (
    <form class="usa-form margin-bottom-2" method="get" action={action} data-filter>
      <label class="usa-label" for={id}>
        {label}
      </label>
      <select class="usa-select" id={id} name={name}>
        {options.map((option) => (
          <option value={option.value} selected={option.value === chosen} key={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <button type="submit" class="usa-button margin-top-2">
        Show
      </button>
    </form>
  );
}

/** A select of plain codes (statuses, outcomes, channels), or any. */
export function CodeChoice({ id, name, label, any, codes, chosen }: { id: string; name: string; label: string; any: string; codes: readonly string[]; chosen: string | undefined }) {
  return (
    <>
      <label class="usa-label" for={id}>
        {label}
      </label>
      <select class="usa-select" id={id} name={name}>
        <option value="">{any}</option>
        {codes.map((code) => (
          <option value={code} selected={code === chosen} key={code}>
            {code}
          </option>
        ))}
      </select>
    </>
  );
}

/** Narrow by form and office: a GET form, so every view is a link that works without JavaScript. */
function FilterForm({ action, agencyCode, filter, extra }: { action: string; agencyCode: string; filter: ConsoleFilter; extra?: ComponentChildren }) {
  const agency = findAgency(agencyCode);
  return (
    <form class="usa-form usa-form--large margin-bottom-2" method="get" action={action} data-filter>
      <div class="grid-row grid-gap">
        <Choice id="filter-form" name="formType" label="Form" any="All forms" options={agency?.formTypes ?? []} chosen={filter.formType} />
        <Choice id="filter-office" name="office" label="Office" any="All offices" options={agency?.offices ?? []} chosen={filter.office} />
      </div>
      {extra}
      <button type="submit" class="usa-button margin-top-2">
        Show
      </button>
    </form>
  );
}

export function BacklogPage({ context, account, filter, today, backlog, flow }: { context: PageContext; account: Account; filter: ConsoleFilter; today: string; backlog: BacklogRows; flow: FlowWeeks }) {
  const totals = AGING_BUCKETS.map((bucket) => backlog.reduce((sum, row) => sum + row.aging[bucket.key], 0));
  const pending = backlog.reduce((sum, row) => sum + row.pendingCount, 0);
  const received = flow.reduce((sum, week) => sum + week.received, 0);
  const decided = flow.reduce((sum, week) => sum + week.decided, 0);
  const query = queryOf({ formType: filter.formType, office: filter.office });
  const table = backlogTable(backlog);
  return (
    <ConsoleLayout context={context} account={account} title="Backlog" current="backlog">
      <FilterForm action="/en/console" agencyCode={account.agency ?? ''} filter={filter} />
      <p class="usa-intro" data-summary>
        {pending.toLocaleString('en-US')} cases are waiting for a decision. Over the last {flow.length} weeks, {received.toLocaleString('en-US')} were received and{' '}
        {decided.toLocaleString('en-US')} decided.
      </p>

      <section aria-labelledby="aging-heading" class="margin-top-4">
        <h2 id="aging-heading">How long pending cases have waited</h2>
        <BarChart
          id="aging"
          title="Pending cases by days since receipt"
          description={`Bar chart of ${pending} pending cases: ${AGING_BUCKETS.map((bucket, i) => `${bucket.label}: ${totals[i]}`).join('; ')}. The table below has every form and office.`}
          categories={AGING_BUCKETS.map((bucket) => bucket.label)}
          series={[{ name: 'Pending cases', values: totals }]}
        />
        {backlog.length === 0 ? (
          <p>No case is waiting for a decision.</p>
        ) : (
          <DataTable
            id="backlog"
            table={table}
            csvHref={`/en/console/backlog.csv${query}`}
            cell={(value, column, r) => {
              const row = backlog[r];
              if (column === 2) return <a href={drillHref(today, row)}>{Number(value).toLocaleString('en-US')}</a>;
              const bucket = AGING_BUCKETS[column - 3];
              if (bucket && Number(value) > 0) return <a href={drillHref(today, row, bucket)} aria-label={`${value} cases of ${row.formType} at ${row.office} waiting ${bucket.label}`}>{Number(value).toLocaleString('en-US')}</a>;
              if (column === 8 && value !== '') return formatDay('en', String(value), context.timeZone);
              return typeof value === 'number' ? value.toLocaleString('en-US') : value;
            }}
          />
        )}
      </section>

      <section aria-labelledby="flow-heading" class="margin-top-4">
        <h2 id="flow-heading">Received and decided per week</h2>
        <BarChart
          id="flow"
          title={`Cases received and decided per week, last ${flow.length} weeks`}
          description={`Grouped bars per ISO week: received (solid) and decided (hatched). In total ${received} received and ${decided} decided; ${received > decided ? 'the backlog grew' : received < decided ? 'the backlog shrank' : 'the backlog held steady'}. The table below has every week.`}
          categories={flow.map((week) => week.week.slice(5))}
          series={[
            { name: 'Received', values: flow.map((week) => week.received) },
            { name: 'Decided', values: flow.map((week) => week.decided) },
          ]}
        />
        <DataTable id="flow" table={flowTable(flow)} csvHref={`/en/console/flow.csv${query}`} />
      </section>
    </ConsoleLayout>
  );
}

export function CasesPage({ context, account, filter, page, after }: { context: PageContext; account: Account; filter: CaseListFilter; page: CasesPage; after: string | undefined }) {
  const base = { formType: filter.formType, office: filter.office, pending: filter.pending, status: filter.statusCode, receivedFrom: filter.receivedFrom, receivedTo: filter.receivedTo };
  const described = [
    filter.pending === true ? 'pending' : undefined,
    filter.formType && `form ${filter.formType}`,
    filter.office && `office ${filter.office}`,
    filter.statusCode && `status ${filter.statusCode}`,
    filter.receivedFrom && `received on or after ${filter.receivedFrom}`,
    filter.receivedTo && `received on or before ${filter.receivedTo}`,
  ].filter(Boolean);
  return (
    <ConsoleLayout context={context} account={account} title="Case list" current="cases">
      <FilterForm
        action="/en/console/cases"
        agencyCode={account.agency ?? ''}
        filter={filter}
        extra={
          <>
            <CodeChoice id="filter-status" name="status" label="Status" any="Any status" codes={PUBLIC_STATUS_CODES} chosen={filter.statusCode} />
            {filter.pending !== undefined && <input type="hidden" name="pending" value={String(filter.pending)} />}
            {filter.receivedFrom && <input type="hidden" name="receivedFrom" value={filter.receivedFrom} />}
            {filter.receivedTo && <input type="hidden" name="receivedTo" value={filter.receivedTo} />}
          </>
        }
      />
      <form class="usa-search usa-search--small margin-bottom-2" role="search" method="get" action="/en/console/case" data-find-case>
        <label class="usa-sr-only" for="find-case">
          Receipt number
        </label>
        <input class="usa-input" id="find-case" type="search" name="receiptNumber" placeholder="Receipt number" required />
        <button class="usa-button" type="submit">
          <span class="usa-search__submit-text">Open the case’s record</span>
        </button>
      </form>
      <p data-summary>{described.length > 0 ? `Cases ${described.join(', ')}.` : 'All cases.'} Oldest receipt first, 25 a page.</p>
      {page.edges.length === 0 ? (
        <p data-empty>No case matches.</p>
      ) : (
        <DataTable
          id="cases"
          table={casesTable(page)}
          csvHref={`/en/console/cases.csv${queryOf({ ...base, after })}`}
          cell={(value, column) => (column === 0 ? <a href={caseRecordHref(String(value))}>{value}</a> : column >= 4 ? formatDay('en', String(value), context.timeZone) : value)}
        />
      )}
      <Pager label="Pages of cases" firstHref={after !== undefined ? `/en/console/cases${queryOf(base)}` : undefined} nextHref={page.pageInfo.hasNextPage && page.pageInfo.endCursor ? `/en/console/cases${queryOf({ ...base, after: page.pageInfo.endCursor })}` : undefined} />
    </ConsoleLayout>
  );
}

export function StalePage({ context, account, filter, rows }: { context: PageContext; account: Account; filter: ConsoleFilter; rows: StaleRows }) {
  const query = queryOf({ formType: filter.formType, office: filter.office });
  const top = rows.slice(0, 10);
  return (
    <ConsoleLayout context={context} account={account} title="Stale cases" current="stale">
      <p class="usa-intro">
        Pending cases that have been at their current status longer than 9 in 10 cases of the same form and office stayed there. The most unusual come first, so someone can act
        before the person has to call.
      </p>
      <FilterForm action="/en/console/stale" agencyCode={account.agency ?? ''} filter={filter} />
      {rows.length === 0 ? (
        <p data-empty>No case is stale: every pending case is within what cases like it usually take at its status, or there are too few like it to tell.</p>
      ) : (
        <>
          <BarChart
            id="stale"
            title="The most unusual stale cases: days at their status against the usual"
            description={`For the ${top.length} most unusual cases, the days each has been at its status (solid) and the median days cases like it stayed there (hatched). ${top
              .map((row) => `${row.receiptNumber}: ${row.daysAtStep} days, usually ${row.usualMedianDays}`)
              .join('; ')}.`}
            categories={top.map((row) => row.receiptNumber.slice(-6))}
            series={[
              { name: 'Days at status', values: top.map((row) => row.daysAtStep) },
              { name: 'Usual (median)', values: top.map((row) => row.usualMedianDays) },
            ]}
          />
          <DataTable id="stale" table={staleTable(rows)} csvHref={`/en/console/stale.csv${query}`} cell={(value, column) =>
              column === 0 ? <a href={caseRecordHref(String(value))}>{value}</a> : column === 4 ? formatDay('en', String(value), context.timeZone) : typeof value === 'number' ? value.toLocaleString('en-US') : value
            }
          />
        </>
      )}
    </ConsoleLayout>
  );
}

/** Signed in, but not as the console's staff: an applicant, or staff without the role or an agency. */
export function NotStaffPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="The caseworker console is for agency staff" englishOnly>
      <h1 class="margin-top-4">The caseworker console is for agency staff</h1>
      <Alert type="warning" role="alert">
        <span data-refused>
          Your sign-in does not say that you are a caseworker of an agency. If you are, ask your agency’s administrator to give your account the caseworker role. To look up a
          case, use the case status search.
        </span>
      </Alert>
      <p class="margin-top-2">
        <a class="usa-link" href="/en/">
          Check a case status
        </a>
      </p>
    </Layout>
  );
}

/** The status API refused the console's request: what to do about it, in plain words. */
export function ConsoleRefusalPage({ context, title, body, signInHref }: { context: PageContext; title: string; body: string; signInHref?: string }) {
  return (
    <Layout context={context} title={title} section="console" englishOnly>
      <h1 class="margin-top-4">{title}</h1>
      <Alert type="error" role="alert">
        <span data-refused>{body}</span>
      </Alert>
      <p class="margin-top-2">
        {signInHref ? (
          <a class="usa-button" href={signInHref}>
            Sign in again
          </a>
        ) : (
          <a class="usa-link" href="/en/console">
            Back to the backlog
          </a>
        )}
      </p>
    </Layout>
  );
}
