/** @jsxRuntime automatic @jsxImportSource preact */
import type { Account } from '@case-status/identity';
import type { ConsoleCaseDeliveriesQuery, ConsoleCaseRecordQuery } from '../api/operations.generated';
import { formatInstant } from '../i18n/format';
import type { PageContext } from '../pages/page-context';
import { DataTable } from './bar-chart';
import type { ConsoleTable } from './console-table';
import { ConsoleLayout, queryOf } from './console.pages';

export type CaseRecord = { [K in keyof ConsoleCaseRecordQuery]: NonNullable<ConsoleCaseRecordQuery[K]> };
/** Null where the platform sends no notifications. */
export type CaseDeliveries = NonNullable<ConsoleCaseDeliveriesQuery['deliveryLog']> | null;

export function caseTimelineTable(record: CaseRecord): ConsoleTable {
  return {
    caption: 'The public timeline, oldest first',
    columns: ['Occurred', 'Step', 'Event', 'Title'],
    rows: record.caseStatus.history.map((entry) => [entry.occurredAt, entry.step, entry.eventType, entry.title.en]),
  };
}

export function caseEventsTable(record: CaseRecord): ConsoleTable {
  return {
    caption: `Every recorded event of ${record.caseStatus.receiptNumber}, oldest first`,
    columns: ['Revision', 'Event', 'Occurred', 'Recorded', 'Data', 'Metadata'],
    rows: record.caseEvents.map((event) => [event.revision, event.type, event.occurredAt ?? '', event.recordedAt, event.data, event.metadata]),
  };
}

export function caseDeliveriesTable(receiptNumber: string, deliveries: NonNullable<CaseDeliveries>): ConsoleTable {
  return {
    caption: `Notifications about ${receiptNumber}, newest first`,
    columns: ['Queued', 'Channel', 'For event', 'Status sent', 'Outcome', 'Attempts', 'Delivered', 'Dead-lettered', 'Next attempt', 'Last error'],
    rows: deliveries.nodes.map((d) => [d.createdAt, d.channel, d.eventType, d.statusCode, d.status, d.attempts, d.deliveredAt ?? '', d.deadLetteredAt ?? '', d.nextAttemptAt ?? '', d.lastError ?? '']),
  };
}

const TIME_COLUMNS = { events: [2, 3], deliveries: [0, 6, 7, 8] } as const;

/**
 * A case's full record for its agency's staff: where it stands (its read models' public and
 * private views), its public timeline, every event stored for it (the ones the public never
 * sees included), and the notifications sent about it with their outcomes.
 */
export function CaseRecordPage({ context, account, record, deliveries }: { context: PageContext; account: Account; record: CaseRecord; deliveries: CaseDeliveries }) {
  const { caseStatus: status, casePrivateDetails: details } = record;
  const when = (value: string | number) => (value === '' ? '—' : formatInstant('en', String(value), context.timeZone));
  const query = queryOf({ receiptNumber: status.receiptNumber });
  const facts: [string, string][] = [
    ['Form', status.formType],
    ['Office', status.office],
    ['Status', `${status.statusCode}: ${details.statusText.en}`],
    ['Received', when(status.receivedAt)],
    ['Last changed', when(status.lastChangedAt)],
    ['Decision', status.decision ? `${status.decision.outcome}, ${when(status.decision.decidedAt)}` : 'None yet'],
    ['Events recorded', String(record.caseEvents.length)],
  ];
  return (
    <ConsoleLayout context={context} account={account} title={`Case ${status.receiptNumber}`} current="cases">
      <dl class="console-facts" data-case-facts>
        {facts.map(([term, value]) => (
          <div key={term} class="margin-bottom-1">
            <dt class="text-bold">{term}</dt>
            <dd class="margin-left-0">{value}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="private-heading" class="margin-top-4">
        <h2 id="private-heading">Evidence requests and appointments</h2>
        {details.openEvidenceRequests.length === 0 && details.upcomingAppointments.length === 0 ? (
          <p>No open evidence request and no upcoming appointment.</p>
        ) : (
          <ul class="usa-list" data-private-details>
            {details.openEvidenceRequests.map((request) => (
              <li key={request.requestId}>
                Evidence requested {when(request.requestedAt)}, due {request.dueDate}
              </li>
            ))}
            {details.upcomingAppointments.map((appointment) => (
              <li key={appointment.scheduledFor}>
                {appointment.kind} at {appointment.office}, {appointment.scheduledFor}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="timeline-heading" class="margin-top-4">
        <h2 id="timeline-heading">What the public sees: its timeline</h2>
        <DataTable
          id="timeline"
          table={caseTimelineTable(record)}
          csvHref={`/en/console/case-timeline.csv${query}`}
          cell={(value, column) => (column === 0 ? when(value) : value)}
        />
      </section>

      <section aria-labelledby="events-heading" class="margin-top-4">
        <h2 id="events-heading">Every recorded event</h2>
        <p>Including the events the public never sees. An access code’s hash is never shown.</p>
        <DataTable
          id="case-events"
          table={caseEventsTable(record)}
          csvHref={`/en/console/case-events.csv${query}`}
          cell={(value, column) => ((TIME_COLUMNS.events as readonly number[]).includes(column) ? when(value) : column >= 4 ? <code class="font-mono-3xs">{value}</code> : value)}
        />
      </section>

      <section aria-labelledby="deliveries-heading" class="margin-top-4">
        <h2 id="deliveries-heading">Notifications sent</h2>
        {deliveries === null ? (
          <p data-empty>This platform sends no notifications.</p>
        ) : deliveries.nodes.length === 0 ? (
          <p data-empty>No notification has been sent about this case.</p>
        ) : (
          <>
            <DataTable
              id="case-deliveries"
              table={caseDeliveriesTable(status.receiptNumber, deliveries)}
              csvHref={`/en/console/case-deliveries.csv${query}`}
              cell={(value, column) => ((TIME_COLUMNS.deliveries as readonly number[]).includes(column) ? when(value) : value)}
            />
            {deliveries.pageInfo.hasNextPage && <p>The latest {deliveries.nodes.length} are shown; the delivery log has the rest.</p>}
          </>
        )}
      </section>
    </ConsoleLayout>
  );
}
